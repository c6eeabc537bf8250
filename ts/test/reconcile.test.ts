/** Reconciler rules, with a fake server: the search window, the page bound, claiming, the budget. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { APIConnectionError, InternalServerError, RetryPolicy, UnprocessableEntityError } from "../src/index.js";
import { type Created, type ReconciledCreate, Reconciler } from "../src/reconcile.js";
import type { Page } from "../src/types.js";

const dropped = (): APIConnectionError => new APIConnectionError("terminated", { requestSent: true });

/** A fake account: `send` runs `script` per attempt; lists serve `items` (newest first) in pages of `pageSize`. */
function fake(
  items: Created[],
  script: ((attempt: number) => Created | Error)[],
  pageSize = 2,
): { call: ReconciledCreate<Created>; sent: () => number; pages: () => number } {
  let sent = 0;
  let pages = 0;
  const pageAt = (offset: number): Page<Created> => {
    pages += 1;
    const next = offset + pageSize < items.length ? String(offset + pageSize) : null;
    return { results: items.slice(offset, offset + pageSize), next, previous: null };
  };
  const call: ReconciledCreate<Created> = {
    target: { input: { text: "x" }, version: "v1" },
    send: async () => {
      const outcome = script[sent]?.(sent) ?? new Error("unexpected send");
      sent += 1;
      if (outcome instanceof Error) throw outcome;
      items.unshift(outcome);
      return outcome;
    },
    list: async () => pageAt(0),
    next: async (url) => pageAt(Number(url)),
    sleep: async () => undefined,
  };
  return { call, sent: () => sent, pages: () => pages };
}

const now = (): string => new Date().toISOString();
const ours = (id: string, input: unknown = { text: "x" }): Created => ({ id, created_at: now(), input, version: "v1" });

describe("reconciler", () => {
  const policy = new RetryPolicy({ maxRetries: 3, initialDelay: 0 });

  test("adopts the lost prediction: same version and input, newest not yet handed out", async () => {
    const lost = ours("lost");
    const items = [ours("other-input", { text: "y" }), { ...ours("other-version"), version: "v2" }, lost];
    const server = fake(items, [() => dropped()]);
    assert.equal((await new Reconciler(policy).create(server.call)).id, "lost");
    assert.equal(server.sent(), 1);
  });

  test("key order does not matter, and an id handed out before is skipped", async () => {
    const reconciler = new Reconciler(policy);
    const first = fake([], [() => ours("first", { b: 1, a: 2 })]);
    first.call.target = { input: { a: 2, b: 1 }, version: "v1" };
    assert.equal((await reconciler.create(first.call)).id, "first");
    const second = fake([ours("first", { b: 1, a: 2 }), ours("second", { a: 2, b: 1 })], [() => dropped()]);
    second.call.target = { input: { a: 2, b: 1 }, version: "v1" };
    assert.equal((await reconciler.create(second.call)).id, "second");
  });

  test("nothing in the window: the create is sent again", async () => {
    const old = { ...ours("old"), created_at: new Date(Date.now() - 3_600_000).toISOString() };
    const server = fake([old], [() => new InternalServerError({ status: 502 }), () => ours("fresh")]);
    assert.equal((await new Reconciler(policy).create(server.call)).id, "fresh");
    assert.equal(server.sent(), 2);
  });

  test("reads at most maxPages pages", async () => {
    const filler = Array.from({ length: 6 }, (_, i) => ours(`newer-${i}`, { text: `other ${i}` }));
    const server = fake([...filler, ours("deep")], [() => dropped(), () => ours("again")]);
    const reconciler = new Reconciler(new RetryPolicy({ initialDelay: 0, reconcile: { maxPages: 2 } }));
    assert.equal((await reconciler.create(server.call)).id, "again");
    assert.equal(server.pages(), 2);
  });

  test("a failure that proves nothing was done is not searched for", async () => {
    const server = fake([ours("stale-twin")], [() => new UnprocessableEntityError({ status: 422 })]);
    await assert.rejects(new Reconciler(policy).create(server.call), UnprocessableEntityError);
    assert.equal(server.pages(), 0);
  });

  test("retries spent inside a send count against the same budget", async () => {
    const server = fake([], [() => dropped(), () => ours("never sent")]);
    const send = server.call.send;
    server.call.send = (deadline, budget) => {
      budget.used += 2; // as if the transport had retried two 429s first
      return send(deadline, budget);
    };
    const reconciler = new Reconciler(new RetryPolicy({ maxRetries: 2, initialDelay: 0 }));
    await assert.rejects(reconciler.create(server.call), APIConnectionError);
    assert.equal(server.sent(), 1);
  });

  test("the attempt budget ends with the create's own error", async () => {
    const server = fake([], [() => dropped(), () => dropped(), () => dropped()]);
    const reconciler = new Reconciler(new RetryPolicy({ maxRetries: 2, initialDelay: 0 }));
    await assert.rejects(reconciler.create(server.call), (e: unknown) => e instanceof APIConnectionError && e.requestSent);
    assert.equal(server.sent(), 3);
  });
});
