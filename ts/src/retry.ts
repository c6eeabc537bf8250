/**
 * Retry policy, the same rules as the Python facade (replicate_kit/_retry.py). Pure.
 *
 * The rule that matters most: a call that creates something (a prediction, a training) is
 * retried only when the server provably did not act on it: it answered 429, or the connection
 * failed before the request was sent. Any other failure of a create is surfaced, because
 * retrying it could run the model twice.
 */

/** `read`: safe to repeat (GET, cancel). `create`: must not be duplicated. */
export type CallKind = "read" | "create";

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** What the policy needs to know about a failure. */
export type Failure =
  | { kind: "status"; status: number; retryAfter?: number | undefined }
  | { kind: "connection"; requestSent: boolean }
  | { kind: "other" };

export interface RetryOptions {
  maxRetries?: number;
  /** Seconds before the first retry; doubles each time. */
  initialDelay?: number;
  maxDelay?: number;
  /** Upper bound on server-provided waits (`Retry-After`, body hints), seconds. */
  maxRetryAfter?: number;
  /** Fraction of the delay randomised so that concurrent clients spread out. */
  jitter?: number;
  random?: () => number;
}

export class RetryPolicy {
  readonly maxRetries: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly maxRetryAfter: number;
  readonly jitter: number;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxRetries = options.maxRetries ?? 4;
    this.initialDelay = options.initialDelay ?? 0.5;
    this.maxDelay = options.maxDelay ?? 8;
    this.maxRetryAfter = options.maxRetryAfter ?? 60;
    this.jitter = options.jitter ?? 0.25;
    this.random = options.random ?? Math.random;
  }

  /** Whether the failure of attempt number `attempt` (0-based) is retried. */
  shouldRetry(kind: CallKind, failure: Failure, attempt: number): boolean {
    if (attempt >= this.maxRetries) return false;
    switch (failure.kind) {
      case "status":
        return kind === "create" ? failure.status === 429 : RETRYABLE_STATUSES.has(failure.status);
      case "connection":
        return kind === "read" || !failure.requestSent;
      default:
        return false;
    }
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
  nextDelay(kind: CallKind, failure: Failure, attempt: number): number | undefined {
    return this.shouldRetry(kind, failure, attempt) ? this.delay(failure, attempt) : undefined;
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
