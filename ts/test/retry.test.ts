/**
 * Retry safety against the mock's injected faults: reads are retried, creates only when the
 * server provably did not act (429, or no connection), so a prediction is never duplicated.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";

import { APIConnectionError, APITimeoutError, InternalServerError, Replicate } from "../src/index.js";
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

  test("a create that times out is not retried", async () => {
    const sent = counting();
    const replicate = client({ timeout: 150, fetch: sent.fetch });
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", latency: 1, count: 1 });
    await assert.rejects(
      replicate.predictions.create({ version: HELLO_VERSION, input: { text: "slow" } }),
      (e: unknown) => e instanceof APITimeoutError,
    );
    assert.equal(sent.calls(), 1);
  });
});

describe("creates", () => {
  test("a 503 on create is surfaced, never retried", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", status: 503, count: 1 });
    await assert.rejects(
      replicate.predictions.create({ version: HELLO_VERSION, input: { text: "x" } }),
      (e: unknown) => e instanceof InternalServerError && e.status === 503,
    );
    assert.equal(await creates(), before);
  });

  test("a 429 on create is retried after Retry-After, creating exactly one prediction", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", status: 429, count: 2, retry_after: 1 });
    const prediction = await replicate.predictions.create({ version: HELLO_VERSION, input: { text: "429" } });
    assert.equal(prediction.input["text"], "429");
    assert.equal(await creates(), before + 1);
  });

  test("a connection dropped after sending a create is not retried (no duplicate)", async () => {
    const replicate = client();
    const before = await creates();
    await mock.control("POST", "/faults", { method: "POST", path: "/v1/predictions", drop: true, count: 1 });
    await assert.rejects(
      replicate.predictions.create({ version: HELLO_VERSION, input: { text: "drop" } }),
      (e: unknown) => e instanceof APIConnectionError && e.requestSent,
    );
    assert.equal(await creates(), before + 1, "the server did create it once; the client did not repeat it");
  });

  test("a create whose connection failed before sending is retried", async () => {
    let calls = 0;
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
