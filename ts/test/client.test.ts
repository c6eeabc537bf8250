/** Every client method against a running mock (`replicate-mock serve`). */
import assert from "node:assert/strict";
import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";

import {
  AuthenticationError,
  ModelError,
  NotFoundError,
  Replicate,
  ServerSentEvent,
  UnprocessableEntityError,
  type Prediction,
  validateWebhook,
} from "../src/index.js";
import { type Mock, mockClient, routeMissing, startMock } from "./mock.js";

const HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
const LLM = "meta/meta-llama-3-8b-instruct";

let mock: Mock;
let replicate: Replicate;

before(async () => {
  mock = await startMock("r8_ts_client");
  replicate = mockClient(mock);
});
after(async () => {
  await mock?.stop();
});

describe("run", () => {
  test("returns the output of a versioned model", async () => {
    const output = await replicate.run(`replicate/hello-world:${HELLO_VERSION}`, { input: { text: "Alice" } });
    assert.equal(output, "hello Alice");
  });

  test("runs an official model by name and reports progress", async () => {
    const seen: string[] = [];
    const output = await replicate.run(LLM, { input: { prompt: "hi", max_tokens: 5 }, wait: { mode: "poll" } }, (p) =>
      seen.push(p.status),
    );
    assert.ok(Array.isArray(output));
    assert.equal((output as string[]).length, 5);
    assert.equal(seen.at(-1), "succeeded");
    assert.ok(seen.length >= 2, `progress was reported ${seen.length} times`);
  });

  test("a failed prediction throws ModelError carrying the prediction", async () => {
    await assert.rejects(replicate.run("mock/fail", { input: { message: "boom" } }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.prediction.status, "failed");
      assert.match(error.message, /boom/);
      return true;
    });
  });
});

describe("abort", () => {
  test("aborting a run stops waiting and cancels the prediction", async () => {
    const controller = new AbortController();
    let id: string | undefined;
    const running = replicate.run("mock/slow", { input: { duration: 30 }, wait: false, signal: controller.signal }, (p) => {
      id = p.id;
      if (p.status === "processing") controller.abort();
    });
    await assert.rejects(running, (error: unknown) => (error as Error).name === "AbortError");
    assert.ok(id);
    assert.equal((await replicate.predictions.get(id)).status, "canceled");
  });
});

describe("stream", () => {
  test("yields output events whose string is the text, then done", async () => {
    const events: ServerSentEvent[] = [];
    for await (const event of replicate.stream(LLM, { input: { prompt: "Write a haiku", max_tokens: 8 } })) {
      events.push(event);
    }
    const outputs = events.filter((e) => e.event === "output");
    assert.equal(outputs.length, 8);
    assert.equal(events.at(-1)?.event, "done");
    const text = events.map(String).join("");
    assert.equal(text, outputs.map((e) => e.data).join(""));
    assert.ok(text.length > 8);
    assert.equal(`${events.at(-1)}`, "", "non-output events stringify to nothing");
  });

  test("the streamed text equals the prediction's final output", async () => {
    const input = { prompt: "same tokens", max_tokens: 6, seed: 7 };
    let text = "";
    for await (const event of replicate.stream(LLM, { input })) text += event;
    const output = await replicate.run(LLM, { input });
    assert.equal(text, (output as string[]).join(""));
  });
});

describe("predictions", () => {
  test("create, get, wait", async () => {
    const created = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "Bob" } });
    assert.equal(created.status, "starting");
    assert.equal(created.version, HELLO_VERSION);
    const fetched = await replicate.predictions.get(created.id);
    assert.equal(fetched.id, created.id);
    const done = await replicate.wait(created);
    assert.equal(done.status, "succeeded");
    assert.equal(done.output, "hello Bob");
  });

  test("create with Prefer: wait returns the finished prediction", async () => {
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "now" }, wait: 10 });
    assert.equal(prediction.status, "succeeded");
    assert.equal(prediction.output, "hello now");
  });

  test("create with a webhook records it on the prediction", async () => {
    const prediction = await replicate.predictions.create({
      model: LLM,
      input: { prompt: "hook", max_tokens: 3 },
      webhook: "https://example.com/replicate-webhook",
      webhook_events_filter: ["start", "completed"],
    });
    assert.equal(prediction.webhook, "https://example.com/replicate-webhook");
    assert.deepEqual(prediction.webhook_events_filter, ["start", "completed"]);
    assert.equal((await replicate.wait(prediction)).status, "succeeded");
  });

  test("cancel stops a running prediction", async () => {
    const prediction = await replicate.predictions.create({ model: "mock/slow", input: { duration: 60 } });
    const canceled = await replicate.predictions.cancel(prediction.id);
    assert.equal(canceled.status, "canceled");
    assert.equal((await replicate.predictions.get(prediction.id)).status, "canceled");
  });

  test("list pages and paginate follows next URLs", async () => {
    const own = new Replicate({ auth: "r8_ts_paginate", baseUrl: mock.apiUrl });
    const ids: string[] = [];
    for (const text of ["a", "b", "c"]) {
      ids.push((await own.predictions.create({ version: HELLO_VERSION, input: { text } })).id);
    }
    const first = await own.predictions.list();
    assert.equal(first.results.length, 2);
    assert.ok(first.next?.startsWith(mock.apiUrl));
    const pages: Prediction[][] = [];
    for await (const page of own.paginate(() => own.predictions.list())) pages.push(page);
    assert.deepEqual(pages.map((p) => p.length), [2, 1]);
    assert.deepEqual(pages.flat().map((p) => p.id), [...ids].reverse(), "newest first, each once");
  });
  test("list takes a cursor (a page's next URL) and a signal", async () => {
    const own = new Replicate({ auth: "r8_ts_cursor", baseUrl: mock.url });
    const ids: string[] = [];
    for (const text of ["a", "b", "c"]) {
      ids.push((await own.predictions.create({ version: HELLO_VERSION, input: { text } })).id);
    }
    const first = await own.predictions.list();
    assert.ok(first.next);
    const second = await own.predictions.list({ cursor: first.next });
    assert.deepEqual([...first.results, ...second.results].map((p) => p.id), [...ids].reverse());
    assert.equal(second.next, null);
    assert.equal((await own.predictions.list({ cursor: second.previous })).results[0]?.id, first.results[0]?.id);
    const models = await own.models.list();
    assert.ok(models.next);
    const more = await own.models.list({ cursor: models.next });
    assert.notDeepEqual(more.results.map((m) => m.name), models.results.map((m) => m.name));

    const aborted = AbortSignal.abort();
    for (const call of [
      () => own.predictions.list({ signal: aborted }),
      () => own.predictions.list({ cursor: first.next, signal: aborted }),
      () => own.models.list({ signal: aborted }),
      () => own.trainings.list({ signal: aborted }),
      () => own.files.list({ signal: aborted }),
    ]) {
      await assert.rejects(call(), { name: "AbortError" });
    }
    const controller = new AbortController();
    const pages: Prediction[][] = [];
    await assert.rejects(async () => {
      for await (const page of own.paginate(() => own.predictions.list(), { signal: controller.signal })) {
        pages.push(page);
        controller.abort();
      }
    }, { name: "AbortError" });
    assert.equal(pages.length, 1, "paginate stops at the next page once aborted");
  });
});

describe("models", () => {
  test("get returns the model with its latest version", async () => {
    const model = await replicate.models.get("replicate", "hello-world");
    assert.equal(model.owner, "replicate");
    assert.equal(model.name, "hello-world");
    assert.equal(model.latest_version?.id, HELLO_VERSION);
  });

  test("list pages through public models", async () => {
    const names: string[] = [];
    for await (const page of replicate.paginate(() => replicate.models.list())) {
      assert.ok(page.length <= 2);
      names.push(...page.map((m) => `${m.owner}/${m.name}`));
    }
    assert.ok(names.includes("replicate/hello-world"));
    assert.ok(names.includes(LLM));
    assert.equal(new Set(names).size, names.length);
  });
});

describe("deployments", () => {
  test("predictions.create runs the deployment's version", async (t) => {
    const account = await replicate.accounts.current();
    const created = await mock.api("POST", "/deployments", {
      name: "greeter",
      model: "replicate/hello-world",
      version: HELLO_VERSION,
      hardware: "cpu",
      min_instances: 0,
      max_instances: 1,
    });
    if (created.status === 404 || created.status === 405) {
      t.skip("the mock does not create deployments yet");
      return;
    }
    assert.equal(created.status, 200, await created.clone().text());
    const prediction = await replicate.deployments.predictions.create(account.username, "greeter", {
      input: { text: "dep" },
      wait: true,
    });
    assert.equal(prediction.deployment, `${account.username}/greeter`);
    assert.equal((await replicate.wait(prediction)).output, "hello dep");
  });

  test("an unknown deployment is a NotFoundError", async () => {
    await assert.rejects(
      replicate.deployments.predictions.create("nobody", "nothing", { input: {} }),
      (error: unknown) => error instanceof NotFoundError && error.status === 404,
    );
  });
});

describe("trainings", () => {
  test("create, get and wait until the destination has a new version", async (t) => {
    const trainer = await replicate.models.get("mock", "trainer");
    const versionId = trainer.latest_version?.id;
    assert.ok(versionId);
    const account = await replicate.accounts.current();
    if (await routeMissing(mock, "POST", `/models/mock/trainer/versions/${versionId}/trainings`, {})) {
      t.skip("the mock does not serve trainings yet");
      return;
    }
    const destination = await mock.api("POST", "/models", {
      owner: account.username,
      name: "tuned",
      visibility: "private",
      hardware: "cpu",
    });
    assert.ok([201, 409, 422].includes(destination.status), await destination.clone().text());
    const training = await replicate.trainings.create("mock", "trainer", versionId, {
      destination: `${account.username}/tuned`,
      input: { steps: 2 },
    });
    assert.equal(training.model, "mock/trainer");
    const fetched = await replicate.trainings.get(training.id);
    assert.equal(fetched.id, training.id);
    const done = await replicate.wait(fetched);
    assert.equal(done.status, "succeeded");
    assert.ok(done.output?.version, "a successful training names the new version");
  });
});

describe("webhooks", () => {
  test("deliveries are signed with the default secret and pass validateWebhook", async (t) => {
    if (await routeMissing(mock, "GET", "/webhooks/default/secret")) {
      t.skip("the mock does not serve the webhook secret yet");
      return;
    }
    const { key } = await replicate.webhooks.default.secret.get();
    assert.match(key, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
    assert.deepEqual(await replicate.webhooks.default.secret.get(), { key }, "the secret is stable");

    const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = receiver.address() as AddressInfo;
      const prediction = await replicate.predictions.create({
        version: HELLO_VERSION,
        input: { text: "signed" },
        webhook: `http://127.0.0.1:${port}/hook`,
        webhook_events_filter: ["completed"],
      });
      await replicate.wait(prediction);
      for (let waited = 0; deliveries.length === 0 && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const delivery = deliveries.at(-1);
      assert.ok(delivery, "the completed webhook arrived");
      const headers = Object.fromEntries(
        Object.entries(delivery.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(" ") : value]),
      );
      assert.equal((JSON.parse(delivery.body) as Prediction).id, prediction.id);
      assert.equal(await validateWebhook({ headers, body: delivery.body }, key), true);
      const forged = delivery.body.replace("hello signed", "hello forged");
      assert.notEqual(forged, delivery.body);
      assert.equal(await validateWebhook({ headers, body: forged }, key), false);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe("errors", () => {
  test("an unknown model is a NotFoundError with the problem details", async () => {
    await assert.rejects(replicate.models.get("nobody", "nothing"), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.status, 404);
      assert.ok(error.detail);
      assert.match(error.message, /^HTTP 404/);
      return true;
    });
  });

  test("invalid input is an UnprocessableEntityError listing the fields", async () => {
    await assert.rejects(
      replicate.predictions.create({ model: "mock/slow", input: { duration: "soon" } }),
      (error: unknown) => {
        assert.ok(error instanceof UnprocessableEntityError);
        assert.ok(error.invalidFields.length > 0);
        return true;
      },
    );
  });

  test("a missing token fails before any request, without leaking anything", async () => {
    const saved = process.env["REPLICATE_API_TOKEN"];
    delete process.env["REPLICATE_API_TOKEN"];
    try {
      const anonymous = new Replicate({ baseUrl: mock.url });
      await assert.rejects(anonymous.predictions.get("x"), AuthenticationError);
    } finally {
      if (saved !== undefined) process.env["REPLICATE_API_TOKEN"] = saved;
    }
  });

  test("auth defaults to REPLICATE_API_TOKEN", async () => {
    const saved = process.env["REPLICATE_API_TOKEN"];
    process.env["REPLICATE_API_TOKEN"] = "r8_from_env";
    try {
      const client = new Replicate({ baseUrl: mock.url });
      assert.equal(client.auth, "r8_from_env");
      assert.equal((await client.accounts.current()).type, "user");
    } finally {
      if (saved === undefined) delete process.env["REPLICATE_API_TOKEN"];
      else process.env["REPLICATE_API_TOKEN"] = saved;
    }
  });
});
