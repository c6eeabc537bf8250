import Replicate from "replicate-kit";

// Reads REPLICATE_API_TOKEN (and REPLICATE_BASE_URL, e.g. a local mock) from the environment.
const replicate = new Replicate();

// Run a model and wait for its output.
const output = await replicate.run(
  "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
  { input: { text: "TypeScript" } },
);
console.log(output); // "hello TypeScript"

// Stream tokens as they are generated: `${event}` is the text of an output event.
for await (const event of replicate.stream("meta/meta-llama-3-8b-instruct", {
  input: { prompt: "Write a haiku about types", max_tokens: 16 },
})) {
  process.stdout.write(`${event}`);
}
process.stdout.write("\n");

// Start a prediction in the background and be told by webhook when it completes.
const prediction = await replicate.predictions.create({
  version: "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
  input: { text: "webhook" },
  webhook: "https://example.com/webhooks/replicate",
  webhook_events_filter: ["completed"],
});
console.log(prediction.id, prediction.status); // "<id> starting"
