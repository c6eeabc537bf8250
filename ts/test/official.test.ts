/**
 * The seed-style Node scenario (run, stream, predictions.create with a webhook) through the
 * official npm `replicate` client pointed at the mock: the mock must serve what real Node code
 * sends. The same scenario through this package runs in client.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import Replicate, { validateWebhook as officialValidate } from "replicate";

import { Replicate as Ours, signWebhook, validateWebhook } from "../src/index.js";
import { type Mock, startMock } from "./mock.js";

const HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
const LLM = "meta/meta-llama-3-8b-instruct";

let mock: Mock;
let replicate: Replicate;

before(async () => {
  mock = await startMock("r8_ts_official");
  replicate = new Replicate({ auth: mock.token, baseUrl: mock.apiUrl, useFileOutput: false });
});
after(async () => {
  await mock?.stop();
});

describe("official npm client against the mock", () => {
  test("run", async () => {
    assert.equal(await replicate.run(HELLO, { input: { text: "Node" } }), "hello Node");
  });

  test("stream", async () => {
    const events: string[] = [];
    let last = "";
    for await (const event of replicate.stream(LLM, { input: { prompt: "Tell me a story", max_tokens: 10 } })) {
      last = event.event;
      if (event.event === "output") events.push(`${event}`);
    }
    assert.equal(events.length, 10);
    assert.ok(events.join("").trim().length > 0);
    assert.equal(last, "done");
  });

  test("predictions.create with a webhook, then wait", async () => {
    const version = HELLO.split(":")[1];
    assert.ok(version);
    const prediction = await replicate.predictions.create({
      version,
      input: { text: "hook" },
      webhook: "https://example.com/webhooks/replicate",
      webhook_events_filter: ["completed"],
    });
    assert.equal(prediction.status, "starting");
    assert.equal(prediction.webhook, "https://example.com/webhooks/replicate");
    assert.deepEqual(prediction.webhook_events_filter, ["completed"]);
    const done = await replicate.wait(prediction, { interval: 50 });
    assert.equal(done.status, "succeeded");
    assert.equal(done.output, "hello hook");
  });

  test("files.create through the official client, read back and deleted through ours", async () => {
    const created = await replicate.files.create(Buffer.from("official bytes"), { via: "official" });
    const ours = new Ours({ auth: mock.token, baseUrl: mock.apiUrl });
    const fetched = await ours.files.get(created.id);
    assert.equal(fetched.size, "official bytes".length);
    assert.deepEqual(fetched.metadata, { via: "official" });
    assert.equal(await ours.files.delete(created.id), true);
  });

  test("errors surface as the official client's ApiError", async () => {
    await assert.rejects(replicate.models.get("nobody", "nothing"), /404/);
  });

  test("the official validateWebhook accepts what signWebhook produces, and so does ours", async () => {
    const secret = `whsec_${Buffer.from("shared secret for both clients").toString("base64")}`;
    const id = "msg_official_cross_check";
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ id: "p", status: "succeeded" });
    const signature = signWebhook(secret, id, timestamp, body);
    assert.equal(await officialValidate({ id, timestamp, signature, body, secret }), true);
    assert.equal(await validateWebhook({ id, timestamp, signature, body, secret }), true);
  });
});
