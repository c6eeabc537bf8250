/**
 * Retry policy, the same rules as the Python facade (replicate_kit/_retry.py). Pure.
 *
 * Each operation's class comes from the spec (`x-retry`, see retry-classes.ts): `idempotent`
 * calls are repeated on 408/429/5xx and connection errors; `never` and `reconcile` calls (they
 * create something, and the API has no idempotency key) only when the server provably did not act
 * on them: 429, 503, or a connection that failed before the request was sent. When the outcome of
 * a `reconcile` call is unknown the client looks for what it may have created before deciding
 * (reconcile.ts); a `never` call surfaces the error.
 */
import type { RetryClass } from "./retry-classes.js";

export type { RetryClass };
/** @deprecated the retry class of an operation; kept as the old name. */
export type CallKind = RetryClass;

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses that say the server did not process the request, so even a create may be sent again. */
export const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);
/** Statuses after which a create may or may not have happened. */
export const UNKNOWN_OUTCOME_STATUSES: ReadonlySet<number> = new Set([500, 502, 504]);

/** What the policy needs to know about a failure. */
export type Failure =
  | { kind: "status"; status: number; retryAfter?: number | undefined }
  | { kind: "connection"; requestSent: boolean }
  | { kind: "other" };

/** How ambiguous creates are resolved (see the README's reliability notes). */
export interface ReconcileOptions {
  /** Seconds subtracted from the estimated server time of the request to allow for clock skew (default 5). */
  clockSkew?: number;
  /** List pages read at most per reconciliation (default 3). */
  maxPages?: number;
}

export interface RetryOptions {
  /** Retries after the first attempt of one call (default 4). */
  maxRetries?: number;
  /**
   * Seconds one call may spend retrying, all attempts and reconciliations together (default 120):
   * no retry starts after it. The per-attempt timeout is the client's `timeout`.
   */
  maxRetryTime?: number;
  /** Seconds before the first retry; doubles each time. */
  initialDelay?: number;
  maxDelay?: number;
  /** Upper bound on server-provided waits (`Retry-After`, body hints), seconds. */
  maxRetryAfter?: number;
  /** Fraction of the delay randomised so that concurrent clients spread out. */
  jitter?: number;
  random?: () => number;
  /**
   * Reconciliation of creates whose outcome is unknown (on by default). `false` surfaces such a
   * failure instead: the create may or may not have happened.
   */
  reconcile?: boolean | ReconcileOptions;
}

export class RetryPolicy {
  readonly maxRetries: number;
  readonly maxRetryTime: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly maxRetryAfter: number;
  readonly jitter: number;
  /** `undefined` when reconciliation is off. */
  readonly reconcile: Required<ReconcileOptions> | undefined;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxRetries = options.maxRetries ?? 4;
    this.maxRetryTime = options.maxRetryTime ?? 120;
    this.initialDelay = options.initialDelay ?? 0.5;
    this.maxDelay = options.maxDelay ?? 8;
    this.maxRetryAfter = options.maxRetryAfter ?? 60;
    this.jitter = options.jitter ?? 0.25;
    this.random = options.random ?? Math.random;
    const reconcile = options.reconcile ?? true;
    this.reconcile =
      reconcile === false
        ? undefined
        : { clockSkew: 5, maxPages: 3, ...(reconcile === true ? {} : reconcile) };
  }

  /** Whether the failure of attempt number `attempt` (0-based) is retried. */
  shouldRetry(retry: RetryClass, failure: Failure, attempt: number): boolean {
    if (attempt >= this.maxRetries) return false;
    switch (failure.kind) {
      case "status":
        return (retry === "idempotent" ? RETRYABLE_STATUSES : NOT_PROCESSED_STATUSES).has(failure.status);
      case "connection":
        return retry === "idempotent" || !failure.requestSent;
      default:
        return false;
    }
  }

  /** Whether a failed `reconcile` call may have acted: then the client looks before it sends again. */
  outcomeUnknown(failure: Failure): boolean {
    if (failure.kind === "connection") return failure.requestSent;
    return failure.kind === "status" && UNKNOWN_OUTCOME_STATUSES.has(failure.status);
  }

  /** Seconds to sleep before retry number `attempt + 1`. */
  delay(failure: Failure, attempt: number): number {
    if (failure.kind === "status" && failure.retryAfter !== undefined) {
      return Math.min(Math.max(failure.retryAfter, 0), this.maxRetryAfter);
    }
    const base = Math.min(this.initialDelay * 2 ** attempt, this.maxDelay);
    return Math.max(base * (1 - this.jitter * this.random()), 0);
  }

  /** Seconds to wait before retrying, or `undefined` when the error must be thrown. */
  nextDelay(retry: RetryClass, failure: Failure, attempt: number): number | undefined {
    return this.shouldRetry(retry, failure, attempt) ? this.delay(failure, attempt) : undefined;
  }
}

/** Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return undefined;
  return Math.max((when - now.getTime()) / 1000, 0);
}

const BODY_HINT = /(?:available in|resets in)\s*~?\s*(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)/i;

/** Seconds suggested by a throttling message such as "Expected available in 1 second". */
export function retryHintFromText(text: string | undefined): number | undefined {
  const match = text ? BODY_HINT.exec(text) : null;
  return match ? Number(match[1]) : undefined;
}
