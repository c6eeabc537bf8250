/** Pure parts: retry policy, Retry-After, references, stream event rules, webhook signatures. */
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { inspect } from "node:util";

import {
  APITimeoutError,
  AuthenticationError,
  DEFAULT_BASE_URL,
  Replicate,
  RetryPolicy,
  ServerSentEvent,
  StreamError,
  StreamState,
  WebhookValidationError,
  isTerminal,
  parseRef,
  parseRetryAfter,
  signWebhook,
  validateWebhook,
} from "../src/index.js";
import { createTimeoutMs } from "../src/client.js";
import { normalizeBaseUrl } from "../src/refs.js";
import { retryHintFromText } from "../src/retry.js";

describe("retry policy", () => {
  const policy = new RetryPolicy({ maxRetries: 3, initialDelay: 0.5, maxDelay: 4, jitter: 0.25, random: () => 0 });

  test("idempotent calls are retried on 408, 429 and 5xx but not on other 4xx", () => {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      assert.equal(policy.shouldRetry("idempotent", { kind: "status", status }, 0), true, `status ${status}`);
    }
    for (const status of [400, 401, 404, 409, 422, 501]) {
      assert.equal(policy.shouldRetry("idempotent", { kind: "status", status }, 0), false, `status ${status}`);
    }
  });

  test("creates are retried only on 429, 503 or a connection that never sent the request", () => {
    for (const retry of ["never", "reconcile"] as const) {
      for (const status of [429, 503]) assert.equal(policy.shouldRetry(retry, { kind: "status", status }, 0), true);
      for (const status of [408, 500, 502, 504]) {
        assert.equal(policy.shouldRetry(retry, { kind: "status", status }, 0), false, `${retry} status ${status}`);
      }
      assert.equal(policy.shouldRetry(retry, { kind: "connection", requestSent: false }, 0), true);
      assert.equal(policy.shouldRetry(retry, { kind: "connection", requestSent: true }, 0), false);
    }
    assert.equal(policy.shouldRetry("idempotent", { kind: "connection", requestSent: true }, 0), true);
    assert.equal(policy.shouldRetry("idempotent", { kind: "other" }, 0), false);
  });

  test("an unknown outcome is a sent request that broke, or 500/502/504", () => {
    for (const status of [500, 502, 504]) assert.equal(policy.outcomeUnknown({ kind: "status", status }), true);
    for (const status of [400, 422, 429, 503]) assert.equal(policy.outcomeUnknown({ kind: "status", status }), false);
    assert.equal(policy.outcomeUnknown({ kind: "connection", requestSent: true }), true);
    assert.equal(policy.outcomeUnknown({ kind: "connection", requestSent: false }), false);
    assert.equal(new RetryPolicy({ reconcile: false }).reconcile, undefined);
    assert.deepEqual(new RetryPolicy({ reconcile: { maxPages: 1 } }).reconcile, { clockSkew: 5, maxPages: 1 });
  });

  test("stops after maxRetries", () => {
    assert.equal(policy.shouldRetry("idempotent", { kind: "status", status: 503 }, 2), true);
    assert.equal(policy.shouldRetry("idempotent", { kind: "status", status: 503 }, 3), false);
    assert.equal(policy.nextDelay("idempotent", { kind: "status", status: 503 }, 3), undefined);
  });

  test("backoff doubles up to maxDelay, jitter shortens it, Retry-After wins (capped)", () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => policy.delay({ kind: "status", status: 503 }, n)), [0.5, 1, 2, 4, 4]);
    const jittered = new RetryPolicy({ initialDelay: 1, jitter: 0.25, random: () => 1 });
    assert.equal(jittered.delay({ kind: "status", status: 503 }, 0), 0.75);
    assert.equal(policy.delay({ kind: "status", status: 429, retryAfter: 7 }, 0), 7);
    assert.equal(new RetryPolicy({ maxRetryAfter: 2 }).delay({ kind: "status", status: 429, retryAfter: 30 }, 0), 2);
  });

  test("Retry-After as seconds or HTTP date, and throttling hints in the body", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("3", now), 3);
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now), 5);
    assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(retryHintFromText("Request was throttled. Expected available in 2 seconds."), 2);
    assert.equal(retryHintFromText("Your rate limit resets in ~30s."), 30);
    assert.equal(retryHintFromText("nothing here"), undefined);
  });
});

describe("references and configuration", () => {
  test("owner/name, owner/name:version and bare version ids", () => {
    const version = "a".repeat(64);
    assert.deepEqual(parseRef("meta/llama"), { owner: "meta", name: "llama" });
    assert.deepEqual(parseRef(`meta/llama:${version}`), { owner: "meta", name: "llama", version });
    assert.deepEqual(parseRef(version), { version });
    assert.throws(() => parseRef("just-a-name"), /Invalid model reference/);
    assert.throws(() => parseRef("a/b/c"), /Invalid model reference/);
  });

  test("base URLs with or without /v1", () => {
    assert.equal(normalizeBaseUrl("https://api.replicate.com"), "https://api.replicate.com/v1");
    assert.equal(normalizeBaseUrl("http://127.0.0.1:8000/v1/"), "http://127.0.0.1:8000/v1");
    assert.throws(() => normalizeBaseUrl("ftp://x"), /Invalid base URL/);
    assert.throws(() => normalizeBaseUrl("not a url"), /Invalid base URL/);
  });

  test("terminal statuses include aborted", () => {
    assert.deepEqual(
      ["starting", "processing", "succeeded", "failed", "canceled", "aborted"].map(isTerminal),
      [false, false, true, true, true, true],
    );
  });
});

describe("stream events", () => {
  test("output events stringify to their text, others to nothing", () => {
    assert.equal(String(new ServerSentEvent("output", "Hello")), "Hello");
    assert.equal(`${new ServerSentEvent("logs", "a log line")}`, "");
    assert.deepEqual(new ServerSentEvent("done", '{"reason":"canceled"}').json(), { reason: "canceled" });
  });

  test("unknown events are skipped, ids are tracked, done finishes", () => {
    const state = new StreamState();
    assert.equal(state.accept({ event: "heartbeat", data: "", id: "1" }), undefined);
    assert.equal(state.lastEventId, "1");
    assert.equal(String(state.accept({ event: "output", data: " word", id: "2" })), " word");
    const done = state.accept({ event: "done", data: "{}", id: "3" });
    assert.equal(done?.event, "done");
    assert.equal(state.finished, true);
    assert.equal(state.lastEventId, "3");
  });

  test("an error event or done with reason error throws StreamError", () => {
    assert.throws(() => new StreamState().accept({ event: "error", data: '{"detail":"CUDA out of memory"}' }), {
      name: "StreamError",
      message: "CUDA out of memory",
    });
    assert.throws(() => new StreamState().accept({ event: "done", data: '{"reason":"error"}' }), StreamError);
    const canceled = new StreamState();
    canceled.accept({ event: "done", data: '{"reason":"canceled"}' });
    assert.equal(canceled.reason, "canceled");
  });
});

describe("webhook validation", () => {
  // Produced by the Python `standardwebhooks` library (Webhook(secret).sign(id, timestamp, body)),
  // an implementation independent of this one.
  const vector = {
    secret: "whsec_cmVwbGljYXRlLWtpdCB0eXBlc2NyaXB0IHZlY3RvciBrZXkh",
    id: "msg_2kit0ts0vector0000000001",
    timestamp: "1767225600",
    body: '{"id":"ufawqhfynnddngldkgtslldrkq","status":"succeeded","output":"hello Alice"}',
    signature: "v1,lO9hs3/RSkMcLRIFlxhed60aCVDoesWp8fZQUK/mhbg=",
  };
  const at = { now: Number(vector.timestamp) + 10 };

  test("accepts the standardwebhooks vector in both call forms", async () => {
    assert.equal(await validateWebhook({ ...vector }, at), true);
    const request = new Request("https://example.com/hook", {
      method: "POST",
      headers: {
        "webhook-id": vector.id,
        "webhook-timestamp": vector.timestamp,
        "webhook-signature": vector.signature,
      },
      body: vector.body,
    });
    assert.equal(await validateWebhook(request, vector.secret, at), true);
    assert.equal(await request.text(), vector.body, "the request body is still readable afterwards");
    assert.equal(signWebhook(vector.secret, vector.id, vector.timestamp, vector.body), vector.signature);
  });

  test("agrees with a signature computed here with node:crypto", async () => {
    const key = randomBytes(24);
    const secret = `whsec_${key.toString("base64")}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ id: "p1", status: "processing", output: ["a", "b"] });
    const digest = createHmac("sha256", key).update(`msg_1.${timestamp}.${body}`).digest("base64");
    const headers = { "Webhook-Id": "msg_1", "Webhook-Timestamp": timestamp, "Webhook-Signature": `v1,${digest}` };
    assert.equal(await validateWebhook({ headers, body }, secret), true);
    assert.equal(await validateWebhook({ headers, body: new TextEncoder().encode(body) }, secret), true);
  });

  test("rejects a tampered body, a wrong secret, a stale or future timestamp", async () => {
    assert.equal(await validateWebhook({ ...vector, body: vector.body.replace("Alice", "Mallory") }, at), false);
    assert.equal(await validateWebhook({ ...vector, secret: "whsec_" + Buffer.from("other key").toString("base64") }, at), false);
    const stale = { now: Number(vector.timestamp) + 301 };
    assert.equal(await validateWebhook({ ...vector }, stale), false);
    assert.equal(await validateWebhook({ ...vector }, { now: Number(vector.timestamp) - 301 }), false);
    assert.equal(await validateWebhook({ ...vector }, { ...stale, tolerance: null }), true, "tolerance: null disables the check");
    assert.equal(await validateWebhook({ ...vector }, { ...stale, tolerance: 600 }), true);
    assert.equal(await validateWebhook({ ...vector, timestamp: "yesterday" }, at), false);
  });

  test("any matching v1 entry among several is enough; other versions and garbage are ignored", async () => {
    const signature = `v2,${vector.signature.slice(3)} v1,AAAA v1,${"x".repeat(44)} ${vector.signature}`;
    assert.equal(await validateWebhook({ ...vector, signature }, at), true);
    assert.equal(await validateWebhook({ ...vector, signature: `v2,${vector.signature.slice(3)}` }, at), false);
    assert.equal(await validateWebhook({ ...vector, signature: "garbage" }, at), false);
  });

  test("a Request is checked over its raw bytes (a byte-order mark or invalid UTF-8 is signed too)", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    for (const prefix of [[0xef, 0xbb, 0xbf], [0xff]]) {
      const body = new Uint8Array([...prefix, ...new TextEncoder().encode('{"id":"p","status":"succeeded"}')]);
      const signature = signWebhook(vector.secret, "msg_raw", timestamp, body);
      const request = new Request("https://example.com/hook", {
        method: "POST",
        headers: { "webhook-id": "msg_raw", "webhook-timestamp": timestamp, "webhook-signature": signature },
        body,
      });
      assert.equal(await validateWebhook(request, vector.secret), true, `body starting ${prefix}`);
    }
  });

  test("missing headers, body or secret throw WebhookValidationError", async () => {
    await assert.rejects(validateWebhook({ ...vector, id: undefined }, at), WebhookValidationError);
    await assert.rejects(validateWebhook({ ...vector, body: "" }, at), WebhookValidationError);
    await assert.rejects(validateWebhook({ ...vector, secret: undefined }, at), WebhookValidationError);
    await assert.rejects(validateWebhook({ ...vector, secret: "whsec_not base64!" }, at), WebhookValidationError);
  });
});

describe("transport", () => {
  test("the token goes to the API origin only; requests carry a user agent", async () => {
    const seen: Request[] = [];
    const pages: Record<string, unknown> = {
      "http://api.test/v1/predictions": { next: "http://elsewhere.test/v1/predictions?cursor=2", previous: null, results: [1] },
      "http://elsewhere.test/v1/predictions?cursor=2": { next: null, previous: null, results: [2] },
    };
    const fake = async (request: Request): Promise<Response> => {
      seen.push(request);
      return Response.json(pages[request.url]);
    };
    const replicate = new Replicate({ auth: "r8_secret", baseUrl: "http://api.test", fetch: fake });
    const results: unknown[] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list())) results.push(...page);
    assert.deepEqual(results, [1, 2]);
    assert.equal(seen[0]?.headers.get("authorization"), "Bearer r8_secret");
    assert.equal(seen[1]?.headers.get("authorization"), null);
    assert.match(seen[0]?.headers.get("user-agent") ?? "", /^replicate-kit-ts\//);
  });

  test("an error body that is not JSON still gives a typed error, without the token", async () => {
    const fake = async (): Promise<Response> => new Response("upstream exploded", { status: 502 });
    const replicate = new Replicate({ auth: "r8_x", baseUrl: "http://api.test", fetch: fake, maxRetries: 0 });
    await assert.rejects(replicate.predictions.get("abc"), (error: unknown) => {
      assert.equal((error as { status?: number }).status, 502);
      assert.match(String(error), /upstream exploded/);
      assert.doesNotMatch(String(error), /r8_x/);
      return true;
    });
  });

  /** A fetch that records what it is asked to send. */
  function recording(): { fetch: (request: Request) => Promise<Response>; seen: Request[] } {
    const seen: Request[] = [];
    return { seen, fetch: async (request) => (seen.push(request), Response.json({})) };
  }

  test("the token never shows in console.log or JSON.stringify of the client", () => {
    const replicate = new Replicate({ auth: "r8_do_not_print", baseUrl: "http://api.test", fetch: recording().fetch });
    assert.equal(replicate.auth, "r8_do_not_print");
    assert.doesNotMatch(inspect(replicate, { depth: 10, showHidden: true }), /r8_do_not_print/);
    assert.doesNotMatch(JSON.stringify(replicate), /r8_do_not_print/);
  });

  test("a custom fetch is called as a plain function, as platform fetches require", async () => {
    const receivers: unknown[] = [];
    const strictFetch = function (this: unknown, request: Request): Promise<Response> {
      receivers.push(this);
      return Promise.resolve(Response.json({ results: [], next: null, previous: null }));
    };
    await new Replicate({ auth: "r8_x", baseUrl: "http://api.test", fetch: strictFetch }).models.list();
    assert.deepEqual(receivers, [undefined]);
  });

  test("a missing token is one clear error naming REPLICATE_API_TOKEN, before any request", async () => {
    const saved = process.env["REPLICATE_API_TOKEN"];
    process.env["REPLICATE_API_TOKEN"] = "";
    try {
      const sent = recording();
      const replicate = new Replicate({ baseUrl: "http://api.test", fetch: sent.fetch });
      await assert.rejects(replicate.predictions.get("abc"), (error: unknown) => {
        assert.ok(error instanceof AuthenticationError);
        assert.equal(error.status, 401);
        assert.match(error.message, /REPLICATE_API_TOKEN/);
        assert.doesNotMatch(error.message, /^HTTP/, "no request was made, so no HTTP status in the message");
        return true;
      });
      assert.equal(sent.seen.length, 0);
    } finally {
      if (saved === undefined) delete process.env["REPLICATE_API_TOKEN"];
      else process.env["REPLICATE_API_TOKEN"] = saved;
    }
  });

  test("a token that cannot go in a header is refused without quoting it", async () => {
    for (const auth of ["r8_pasted\nwith_a_newline", "r8_smart\u2019quote", "r8_inner space"]) {
      const sent = recording();
      const replicate = new Replicate({ auth, baseUrl: "http://api.test", fetch: sent.fetch });
      await assert.rejects(replicate.models.list(), (error: unknown) => {
        assert.ok(error instanceof AuthenticationError, String(error));
        assert.doesNotMatch(String(error), /r8_/);
        assert.match(error.message, /REPLICATE_API_TOKEN/);
        return true;
      });
      assert.equal(sent.seen.length, 0);
    }
    const sent = recording();
    await new Replicate({ auth: "  r8_padded\n", baseUrl: "http://api.test", fetch: sent.fetch }).models.list();
    assert.equal(sent.seen[0]?.headers.get("authorization"), "Bearer r8_padded", "surrounding whitespace is trimmed");
  });

  test("empty REPLICATE_BASE_URL and REPLICATE_API_TOKEN count as unset", () => {
    const saved = { ...process.env };
    process.env["REPLICATE_BASE_URL"] = "";
    process.env["REPLICATE_API_TOKEN"] = "";
    try {
      const replicate = new Replicate();
      assert.equal(replicate.baseUrl, DEFAULT_BASE_URL);
      assert.equal(replicate.auth, undefined);
    } finally {
      for (const name of ["REPLICATE_BASE_URL", "REPLICATE_API_TOKEN"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });


  test("opening a stream that never answers times out and is retried like any read", { timeout: 3_000 }, async () => {
    const attempts: string[] = [];
    const prediction = {
      id: "p3",
      status: "starting",
      urls: { get: "http://api.test/v1/predictions/p3", stream: "http://api.test/v1/predictions/p3/stream" },
    };
    const fake = (request: Request): Promise<Response> => {
      attempts.push(`${request.method} ${new URL(request.url).pathname}`);
      if (request.method === "POST") return Promise.resolve(Response.json(prediction, { status: 201 }));
      // A server that accepts the connection and never sends the headers.
      return new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    };
    const replicate = new Replicate({ auth: "r8_x", baseUrl: "http://api.test", fetch: fake, timeout: 100, maxRetries: 1, retry: { initialDelay: 0.01 } });
    const events = async (): Promise<void> => {
      for await (const event of replicate.stream("owner/model", { input: {} })) assert.fail(`unexpected ${event.event}`);
    };
    await assert.rejects(events(), APITimeoutError);
    assert.deepEqual(attempts, ["POST /v1/models/owner/model/predictions", "GET /v1/predictions/p3/stream", "GET /v1/predictions/p3/stream"]);
  });
});

describe("create timeouts", () => {
  test("a held create outlasts the hold and never shortens the client's timeout", () => {
    assert.equal(createTimeoutMs(undefined, 60_000), undefined, "no hold: the client's timeout");
    assert.equal(createTimeoutMs(60, 10_000), 65_000);
    assert.equal(createTimeoutMs(5, 60_000), 60_000);
    assert.equal(createTimeoutMs(60, 300_000), 300_000);
  });
});

describe("wait", () => {
  test("wait gives up at its timeout even when the poll interval is longer", async () => {
    let polls = 0;
    const processing = { id: "p1", status: "processing", urls: { get: "http://api.test/v1/predictions/p1" } };
    const replicate = new Replicate({
      auth: "r8_x",
      baseUrl: "http://api.test",
      fetch: async () => (polls++, Response.json(processing)),
    });
    const started = performance.now();
    await assert.rejects(replicate.wait(processing, { timeout: 100, interval: 5_000 }), (error: unknown) => {
      assert.ok(error instanceof APITimeoutError);
      assert.match(error.message, /p1 is still processing after 100 ms/);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1_000, `waited ${Math.round(elapsed)} ms for a 100 ms timeout`);
    assert.equal(polls, 1, "one last poll at the deadline");
  });

  test("wait stops as soon as its signal aborts", async () => {
    const processing = { id: "p2", status: "processing", urls: { get: "http://api.test/v1/predictions/p2" } };
    const replicate = new Replicate({ auth: "r8_x", baseUrl: "http://api.test", fetch: async () => Response.json(processing) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await assert.rejects(replicate.wait(processing, { interval: 5_000, signal: controller.signal }), { name: "AbortError" });
    assert.ok(performance.now() - started < 1_000);
  });
});
