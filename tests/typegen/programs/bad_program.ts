// A mistake on each marked line: tsc rejects it with an error that names the field.
import Replicate from "replicate-kit";
import { typed } from "./ts_models/index.js";

const view = typed(new Replicate());
await view.run("meta/meta-llama-3-8b-instruct", { input: { prompt: "hi", max_tokens: "x" } }); // error: max_tokens
await view.run("stability-ai/sdxl", { input: { promt: "a fox" } }); // error: promt
await view.run("acme/chat-llm", { input: { max_new_tokens: 3 } }); // error: prompt
await view.run("stability-ai/sdxl", { input: { scheduler: "FAST" } }); // error: FAST
const count: number = await view.run("replicate/hello-world", { input: { text: "x" } }); // error: number
console.log(count);
