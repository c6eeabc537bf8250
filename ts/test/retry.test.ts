/**
 * Retry safety against the mock's injected faults: reads are retried; creates are sent again only
 * when the server provably did not act (429, 503, or no connection), and a create whose outcome is
 * unknown is reconciled (the prediction it made is found and adopted), so none is duplicated or lost.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";

import { APIConnectionError, APITimeoutError, InternalServerError, Replicate, ReplicateException } from "../src/index.js";
import { type Mock, mockClient, startMock } from "./mock.js";

const HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
const LLM = "meta/meta-llama-3-8b-instruct";

let mock: Mock;
const fast = { initialDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 0.05 };

before(async () => {
  mock = await startMock("r8_ts_retry", { isolated: true });
});
after(async () => {
  await mock?.stop();
});
afterEach(async () => {
  await mock.control("DELETE", "/faults");
});

function client(options: ConstructorParameters<typeof Replicate>[0] = {}): Replicate {
  return mockClient(mock, { retry: fast, ...options });
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === "object");
  return address.port;
}

async function creates(): Promise<number> {
  const answer = (await mock.control("GET", "/create-count")) as { count: number };
  return answer.count;
}

async function journal(method: string, path: string): Promise<number> {
  const entries = (await mock.control("GET", `/journal?method=${method}&path=${encodeURIComponent(path)}`)) as unknown[];
  return entries.length;
}

describe("reads", () => {
  test("a GET answered 503 twice is retried and succeeds", async () => {
    const replicate = client();
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "r" } });
    await mock.control("POST", "/faults", { method: "GET", path: `/v1/predictions/${prediction.id}`, status: 503, count: 2 });
    const fetched = await replicate.predictions.get(prediction.id);
    assert.equal(fetched.id, prediction.id);
    assert.equal(await journal("GET", `/v1/predictions/${prediction.id}`), 3);
  });

  test("a dropped GET is retried", async () => {
    const replicate = client();
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/models/replicate/hello-world", drop: true, count: 1 });
    assert.equal((await replicate.models.get("replicate", "hello-world")).name, "hello-world");
  });

  test("retries stop after maxRetries", async () => {
    const replicate = client({ maxRetries: 2 });
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/account", status: 502 });
    const before = await journal("GET", "/v1/account");
    await assert.rejects(replicate.accounts.current(), (e: unknown) => e instanceof InternalServerError && e.status === 502);
    assert.equal((await journal("GET", "/v1/account")) - before, 3);
  });
});

describe("timeouts", () => {
  /** A fetch that counts the attempts it sends. */
  function counting(): { fetch: (request: Request) => Promise<Response>; calls: () => number } {
    let calls = 0;
    return {
      fetch: (request) => {
        calls += 1;
        return fetch(request);
      },
      calls: () => calls,
    };
  }

  test("a slow read times out, is retried, then fails as APITimeoutError", async () => {
    const sent = counting();
    const replicate = client({ timeout: 150, maxRetries: 1, fetch: sent.fetch });
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/models/mock/echo", latency: 1 });
    await assert.rejects(replicate.models.get("mock", "echo"), (e: unknown) => e instanceof APITimeoutError && e.requestSent);
    assert.equal(sent.calls(), 2);
  });

  test("a create that times out after the server made it is reconciled: one prediction, adopted", async () => {
    // The server answers, but the answer is lost until the client's timeout fires.
    const lost = async (request: Request): Promise<Response> => {
      const response = await fetch(request.clone());
      if (request.method !== "POST") return response;
      await response.arrayBuffer();
      return new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true }));
    };
    let sent = 0;
    const replicate = client({ timeout: 150, fetch: (request) => ((sent += 1), lost(request)) });
    const before = await creates();
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "slow" } });
    assert.equal(prediction.input["text"], "slow");
    assert.equal(await creates(), before + 1);
    assert.equal(sent, 2, "the create, then one list");
  });
});

/** Predictions of this mock's account, newest first (faults are cleared by then). */
async function predictionIds(): Promise<string[]> {
  const ids: string[] = [];
  let url: string | null = "/predictions";
  while (url) {
    const page = (await (await mock.api("GET", url.replace(/^.*\/v1/, ""))).json()) as { results: { id: string }[]; next: string | null };
    ids.push(...page.results.map((p) => p.id));
    url = page.next;
  }
  return ids;
}

describe("creates", () => {
  test("a 503 on create is retried (the server did not act), creating exactly one prediction", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", status: 503, count: 2 });
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "503" } });
    assert.equal(prediction.input["text"], "503");
    assert.equal(await creates(), before + 1);
  });

  test("a 429 on create is retried after Retry-After, creating exactly one prediction", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", status: 429, count: 2, retry_after: 1 });
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "429" } });
    assert.equal(prediction.input["text"], "429");
    assert.equal(await creates(), before + 1);
  });

  test("a connection dropped after sending a create is reconciled: the prediction it made is adopted", async () => {
    const replicate = client();
    const before = await creates();
    const listsBefore = await journal("GET", "/v1/predictions");
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", drop: true, count: 1 });
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "drop" } });
    assert.equal((await journal("GET", "/v1/predictions")) - listsBefore, 1, "one list found it");
    assert.equal(await creates(), before + 1, "the server created it once; the client adopted it");
    assert.equal((await predictionIds())[0], prediction.id);
  });

  test("a 500 on a create that made nothing leads to one new create after an empty search", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/models/replicate/hello-world/predictions", status: 500, count: 1 });
    const output = await replicate.run("replicate/hello-world", { input: { text: "five hundred" } });
    assert.equal(output, "hello five hundred");
    assert.equal(await creates(), before + 1);
  });

  test("two identical creates dropped at once each adopt their own prediction", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", drop: true, count: 2 });
    const input = { text: "twin" };
    const [a, b] = await Promise.all([0, 1].map(() => replicate.predictions.create({ version: HELLO_VERSION, input })));
    assert.ok(a && b);
    assert.notEqual(a.id, b.id);
    assert.equal(await creates(), before + 2);
    assert.deepEqual(new Set((await predictionIds()).slice(0, 2)), new Set([a.id, b.id]));
  });

  test("with reconcile off a dropped create surfaces the connection error", async () => {
    const replicate = client({ retry: { ...fast, reconcile: false } });
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", drop: true, count: 1 });
    await assert.rejects(
      replicate.predictions.create({ version: HELLO_VERSION, input: { text: "drop" } }),
      (e: unknown) => e instanceof APIConnectionError && e.requestSent,
    );
    assert.equal(await creates(), before + 1, "the server did create it once; the client did not repeat it");
  });

  test("when the search itself fails the create is not repeated and the first error stands", async () => {
    const replicate = client({ maxRetries: 1 });
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", drop: true, count: 1 });
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/predictions", status: 502 });
    await assert.rejects(
      replicate.predictions.create({ version: HELLO_VERSION, input: { text: "unknowable" } }),
      (e: unknown) => e instanceof APIConnectionError && e.requestSent,
    );
    assert.equal(await creates(), before + 1);
  });

  test("a dropped training create is adopted from the trainings list", async () => {
    const trainer = await client().models.get("mock", "trainer");
    const versionId = trainer.latest_version?.id;
    assert.ok(versionId);
    const account = await client().accounts.current();
    await mock.api("POST", "/models", { owner: account.username, name: "tuned", visibility: "private", hardware: "cpu" });
    const path = `/v1/models/mock/trainer/versions/${versionId}/trainings`;
    const before = await journal("POST", path);
    await mock.control("POST", "/faults", { method: "POST", path, drop: true, count: 1 });
    const training = await client().trainings.create("mock", "trainer", versionId, {
      destination: `${account.username}/tuned`,
      input: { steps: 1 },
    });
    assert.equal((await journal("POST", path)) - before, 1, "one create, adopted");
    const listed = (await (await mock.api("GET", "/trainings")).json()) as { results: { id: string }[] };
    assert.equal(listed.results[0]?.id, training.id);
  });

  test("a dropped deployment create is adopted, matched by deployment and input", async () => {
    const replicate = client();
    const account = await replicate.accounts.current();
    const made = await mock.api("POST", "/deployments", {
      name: "reconciled",
      model: "replicate/hello-world",
      version: HELLO_VERSION,
      hardware: "cpu",
      min_instances: 0,
      max_instances: 1,
    });
    assert.equal(made.status, 200, await made.clone().text());
    const path = `/v1/deployments/${account.username}/reconciled/predictions`;
    let twin = "";
    // The deployment's answer is lost, and meanwhile a same-input prediction of the same version
    // is made without the deployment: newer, and not the one to adopt.
    const losing = async (request: Request): Promise<Response> => {
      const response = await fetch(request);
      if (request.method !== "POST" || !request.url.endsWith(path)) return response;
      await response.arrayBuffer();
      const other = await mock.api("POST", "/predictions", { version: HELLO_VERSION, input: { text: "dep" } });
      twin = ((await other.json()) as { id: string }).id;
      throw new TypeError("terminated");
    };
    const prediction = await client({ fetch: losing }).deployments.predictions.create(account.username, "reconciled", {
      input: { text: "dep" },
    });
    assert.ok(twin);
    assert.notEqual(prediction.id, twin);
    assert.equal(prediction.deployment, `${account.username}/reconciled`);
    assert.equal(await journal("POST", path), 1, "created once, then adopted");
  });

  test("a create that made a prediction then could not be followed carries its id", async () => {
    const replicate = client({ maxRetries: 1 });
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "lost track" } });
    await mock.control("POST", "/faults", { method: "GET", path: `/v1/predictions/${prediction.id}`, status: 502 });
    await assert.rejects(
      replicate.wait(prediction, { interval: 1 }),
      (e: unknown) => e instanceof InternalServerError && e.predictionId === prediction.id,
    );
  });

  test("run() errors after the create name the prediction", async () => {
    const replicate = client({ maxRetries: 0 });
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/predictions/*", status: 500 });
    let caught: unknown;
    await replicate.run("replicate/hello-world", { input: { text: "orphan?" }, wait: { mode: "poll", interval: 1 } }).catch((e: unknown) => {
      caught = e;
    });
    assert.ok(caught instanceof ReplicateException);
    assert.equal(caught.predictionId, (await predictionIds())[0]);
  });

  test("the retry time budget bounds a call however many retries are allowed", async () => {
    const replicate = client({ retry: { ...fast, maxRetries: 1000, maxRetryTime: 0.3 } });
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/account", status: 503 });
    const started = performance.now();
    await assert.rejects(replicate.accounts.current(), InternalServerError);
    assert.ok(performance.now() - started < 2_000);
  });

  test("a create whose connection failed before sending is retried", async () => {    let calls = 0;
    const refusedOnce = async (request: Request): Promise<Response> => {
      calls += 1;
      if (calls === 1) throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      return fetch(request);
    };
    const replicate = client({ fetch: refusedOnce });
    const before = await creates();
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "refused" } });
    assert.equal(prediction.status, "starting");
    assert.equal(calls, 2);
    assert.equal(await creates(), before + 1);
  });

  test("a real refused connection is reported as not sent after the retries", async () => {
    const port = await closedPort();
    const closed = new Replicate({ auth: "r8_x", baseUrl: `http://127.0.0.1:${port}`, retry: fast, maxRetries: 1 });
    await assert.rejects(
      closed.predictions.create({ version: HELLO_VERSION, input: {} }),
      (e: unknown) => e instanceof APIConnectionError && !e.requestSent && /ECONNREFUSED/.test(e.message),
    );
  });
});

describe("streams", () => {
  test("a dropped stream resumes with Last-Event-ID and loses no token", async () => {
    const replicate = client();
    const input = { prompt: "resume me", max_tokens: 12, seed: 3 };
    await mock.control("POST", "/faults", { method: "GET", path: "/v1/predictions/*/stream", drop_stream_after: 4, count: 1 });
    let text = "";
    for await (const event of replicate.stream(LLM, { input })) text += event;
    const output = (await replicate.run(LLM, { input })) as string[];
    assert.equal(text, output.join(""));
    assert.ok((await journal("GET", "/v1/predictions/*/stream")) >= 2, "the stream was reopened");
  });
});
