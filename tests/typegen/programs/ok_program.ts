// Correct uses of the generated types: tsc --strict accepts all of it.
import Replicate, { type FileOutput } from "replicate-kit";
import { typed } from "./ts_models/index.js";

const view = typed(new Replicate());
const images: FileOutput[] = await view.run("stability-ai/sdxl", { input: { prompt: "a fox", num_outputs: 2, scheduler: "DDIM" } });
const tokens: string[] = await view.run("meta/meta-llama-3-8b-instruct", { input: { prompt: "hi", seed: null } });
const text = await view.run("acme/transcribe", { input: { audio: new Blob(["x"]) } });
const language: string = text.detected_language;
for await (const event of view.stream("acme/chat-llm", { input: { prompt: "hi" } })) console.log(`${event}`);
console.log(images, tokens, language);
