/**
 * Chaos: `run()` under seeded faults on every route (10 % 500, 10 % 503, 10 % 429, and 20 % of
 * POSTs and GETs dropped after the response headers) completes every call with the right output,
 * and the mock ends with exactly one prediction per call: no duplicate, no orphan.
 *
 * The mock runs its real clock at 10x (models finish in tens of milliseconds) rather than a
 * virtual one: reconciliation searches by creation time, and a virtual clock parked in the past
 * would put every prediction outside a window computed from this machine's clock.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { type Mock, mockClient, startMock } from "./mock.js";

const CALLS = 100;
let mock: Mock;

before(async () => {
  mock = await startMock("r8_ts_chaos", { args: ["--seed", "15", "--speed", "10", "--no-rate-limits"] });
});
after(async () => {
  await mock?.stop();
});

interface Fault {
  id: string;
  fired: number;
}

async function allPredictions(): Promise<{ id: string; input: { text?: string } }[]> {
  const found: { id: string; input: { text?: string } }[] = [];
  let path: string | null = "/predictions";
  while (path) {
    const response = await mock.api("GET", path);
    assert.equal(response.status, 200);
    const page = (await response.json()) as { results: { id: string; input: { text?: string } }[]; next: string | null };
    found.push(...page.results);
    path = page.next ? page.next.replace(/^.*\/v1/, "") : null;
  }
  return found;
}

describe("chaos", () => {
  test(`${CALLS} run() calls under faults: all complete, 0 duplicates, 0 orphans`, { timeout: 20_000 }, async () => {
    const faults = [
      { path: "/v1/*", status: 500, rate: 0.1 },
      { path: "/v1/*", status: 503, rate: 0.1 },
      { path: "/v1/*", status: 429, rate: 0.1, retry_after: 1 },
      { method: "POST", path: "/v1/*", drop: true, rate: 0.2 },
      { method: "GET", path: "/v1/*", drop: true, rate: 0.2 },
    ];
    const injected: Fault[] = [];
    for (const fault of faults) injected.push((await mock.control("POST", "/faults", fault)) as Fault);
    // A generous attempt budget with short waits: at ~42 % failed requests, 20 retries leave a
    // call a ~1e-8 chance of giving up; `Retry-After` is honoured but capped to keep this fast.
    const replicate = mockClient(mock, {
      pollInterval: 20,
      retry: { maxRetries: 20, maxRetryTime: 15, initialDelay: 0.005, maxDelay: 0.05, maxRetryAfter: 0.02 },
    });
    const returned: string[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: CALLS }, async (_, i) => {
        let id: string | undefined;
        const output = await replicate.run("replicate/hello-world", { input: { text: `chaos ${i}` } }, (p) => {
          id = p.id;
        });
        assert.ok(id);
        returned.push(id);
        return output;
      }),
    );
    const fired = (await mock.control("GET", "/faults")) as Fault[];
    await mock.control("DELETE", "/faults");

    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
    assert.deepEqual(failures, [], "every call completes");
    outcomes.forEach((o, i) => assert.deepEqual(o, { status: "fulfilled", value: `hello chaos ${i}` }));

    const onMock = await allPredictions();
    const texts = onMock.map((p) => p.input.text);
    assert.equal(new Set(texts).size, texts.length, "no input was run twice (0 duplicates)");
    assert.equal(new Set(returned).size, CALLS, "no prediction was handed to two calls");
    const orphans = onMock.filter((p) => !returned.includes(p.id));
    assert.deepEqual(orphans, [], "every prediction on the mock was returned by a call (0 orphans)");
    assert.equal(onMock.length, CALLS);

    // Every kind of fault did fire, dropped creates included (those are the ones reconciled).
    assert.deepEqual(
      fired.map((f) => f.id),
      injected.map((f) => f.id),
    );
    for (const fault of fired) assert.ok(fault.fired > 0, `${fault.id} fired`);
    const creates = (await mock.control("GET", "/journal?method=POST&path=/v1/models/*")) as unknown[];
    assert.ok(creates.length > CALLS, "some creates were sent more than once, yet none ran twice");
  });
});
