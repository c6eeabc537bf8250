/**
 * Ambiguous creates. The API has no idempotency key, so when a create's outcome is unknown (the
 * connection broke or timed out after the request left, or the server answered 500/502/504), the
 * client looks before it sends again: it lists what the account created since just before the
 * request and adopts the newest object with the same target and input that this client has not
 * returned already. Only when there is none does it create again.
 *
 * Race window: an identical create sent by another client on the same account (or by this client
 * at the same moment, whose answer is still on its way) inside the window can be adopted instead.
 * Such twins run the same model on the same input, so the caller still gets a correct result.
 */
import { type RetryBudget, failureOf } from "./http.js";
import type { ReconcileOptions, RetryPolicy } from "./retry.js";
import type { Page } from "./types.js";

/** What reconciliation reads of a prediction or training. */
export interface Created {
  id: string;
  created_at?: string | null | undefined;
  input?: unknown;
  model?: string | null | undefined;
  version?: string | null | undefined;
  deployment?: string | null | undefined;
}

/** What a create asked for: the object that answers it has these (where the server reports them). */
export interface Target {
  input: Record<string, unknown>;
  model?: string | undefined;
  version?: string | undefined;
  deployment?: string | undefined;
}

export interface ReconciledCreate<T extends Created> {
  target: Target;
  /**
   * Sends the create; its own retries (429, 503, unsent requests) stop at `deadline` and spend
   * `budget`, which the reconciler's re-sends spend too.
   */
  send: (deadline: number, budget: RetryBudget) => Promise<T>;
  /** The first page of the account's objects created at or after `since` (newest first). */
  list: (since: Date, deadline: number) => Promise<Page<T>>;
  /** The page behind a `next` URL. */
  next: (url: string, deadline: number) => Promise<Page<T>>;
  sleep: (ms: number) => Promise<void>;
}

/** Ids this client already handed out, so two ambiguous creates never adopt the same object. */
const REMEMBERED = 10_000;

export class Reconciler {
  private readonly handedOut = new Set<string>();
  /**
   * Server clock minus local clock (ms): the least `created_at - sent` seen on this client's
   * creates. Each such difference is the true offset plus the request's transit, so the least is
   * the closest, and an estimate that errs early only widens the search window.
   */
  private offsetMs: number | undefined;

  constructor(private readonly policy: RetryPolicy) {}

  async create<T extends Created>(call: ReconciledCreate<T>): Promise<T> {
    const policy = this.policy;
    const deadline = performance.now() + policy.maxRetryTime * 1000;
    // One budget for the whole create: its transport retries and the re-sends decided here.
    const budget: RetryBudget = { used: 0 };
    for (;;) {
      const sentAt = Date.now();
      let error: unknown;
      try {
        const created = await call.send(deadline, budget);
        this.learnClock(created, sentAt);
        this.remember(created.id);
        return created;
      } catch (caught) {
        error = caught;
      }
      const failure = failureOf(error);
      if (policy.reconcile === undefined || !policy.outcomeUnknown(failure)) throw error;
      const found = await this.find(call, policy.reconcile, sentAt, deadline, error);
      if (found) return found;
      // Nothing was created: sending again cannot duplicate.
      const delay = policy.delay(failure, budget.used);
      if (budget.used >= policy.maxRetries || performance.now() + delay * 1000 > deadline) throw error;
      budget.used += 1;
      await call.sleep(delay * 1000);
    }
  }

  /** The object the lost request created, or undefined when there is none. */
  private async find<T extends Created>(
    call: ReconciledCreate<T>,
    options: Required<ReconcileOptions>,
    sentAt: number,
    deadline: number,
    original: unknown,
  ): Promise<T | undefined> {
    const since = new Date(sentAt + (this.offsetMs ?? 0) - options.clockSkew * 1000);
    try {
      let page = await call.list(since, deadline);
      for (let read = 1; ; read++) {
        for (const item of page.results) {
          const created = item.created_at ? Date.parse(item.created_at) : Number.NaN;
          // Newest first: past the window nothing further can be ours.
          if (created < since.getTime()) return undefined;
          if (this.handedOut.has(item.id) || !sameRequest(item, call.target)) continue;
          // Claimed before any await, so a concurrent reconciliation skips it.
          this.remember(item.id);
          return item;
        }
        if (!page.next || read >= options.maxPages) return undefined;
        page = await call.next(page.next, deadline);
      }
    } catch {
      // Not knowing is no licence to create again: the create's own failure stands.
      throw original;
    }
  }

  private learnClock(created: Created, sentAt: number): void {
    const at = created.created_at ? Date.parse(created.created_at) : Number.NaN;
    if (!Number.isNaN(at)) this.offsetMs = Math.min(this.offsetMs ?? Number.POSITIVE_INFINITY, at - sentAt);
  }

  private remember(id: string): void {
    this.handedOut.add(id);
    if (this.handedOut.size > REMEMBERED) {
      const oldest = this.handedOut.values().next().value;
      if (oldest !== undefined) this.handedOut.delete(oldest);
    }
  }
}

/** Same target (model and version where the server reports them) and the same input, key order aside. */
function sameRequest(item: Created, target: Target): boolean {
  if (target.version !== undefined && item.version != null && versionId(item.version) !== versionId(target.version)) return false;
  if (target.model !== undefined && item.model != null && item.model !== target.model) return false;
  // The spec's Prediction names its deployment, so a twin created without one is told apart.
  if ((item.deployment ?? undefined) !== target.deployment) return false;
  return canonical(item.input) === canonical(target.input);
}

function versionId(version: string): string {
  return version.slice(version.lastIndexOf(":") + 1);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
