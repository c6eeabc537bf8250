/**
 * Sending requests: authentication, timeouts, error mapping and retries. Every request of the
 * client (the generated-type calls made through openapi-fetch, pagination URLs and event streams)
 * goes through `Transport.send`, so the retry safety rules live in one place.
 */
import {
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  ReplicateError,
  errorFromResponse,
} from "./errors.js";
import { type Failure, type RetryClass, RetryPolicy } from "./retry.js";
import { retryClassOf } from "./operations.js";

export type FetchLike = (input: Request) => Promise<Response>;

/** The retries one operation has used; several sends of one create share it. */
export interface RetryBudget {
  used: number;
}

export interface TransportOptions {
  /** Kept in a private field of the transport only, so inspecting or serialising the client never shows it. */
  auth: string | undefined;
  /** API root including `/v1`. */
  baseUrl: string;
  fetch: FetchLike;
  retry: RetryPolicy;
  /** Per-attempt timeout, milliseconds. */
  timeoutMs: number;
  userAgent: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface SendOptions {
  /** Per-attempt timeout for this call, milliseconds (overrides the client's). */
  timeoutMs?: number;
  /** `performance.now()` after which no retry starts (default: the policy's `maxRetryTime` from now). */
  deadline?: number;
  /** Retries already spent by the operation this request belongs to (shared across its requests). */
  budget?: RetryBudget;
  /** A stream's body is read by the caller: the timeout ends when the headers arrive. */
  streaming?: boolean;
}

// Errors that undici reports when no connection was ever made, so no byte of the request left.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export class Transport {
  readonly #auth: string | undefined;
  private readonly options: Omit<TransportOptions, "auth">;
  private readonly origin: string;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: TransportOptions) {
    const { auth, ...rest } = options;
    this.#auth = auth;
    this.options = rest;
    this.origin = new URL(options.baseUrl).origin;
    this.sleep = options.sleep ?? abortableSleep;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get retry(): RetryPolicy {
    return this.options.retry;
  }

  /** A fetch function for openapi-fetch. */
  fetcher(options: SendOptions = {}): FetchLike {
    return (request) => this.send(request, options);
  }

  /** The spec's retry class of `request` (see operations.ts). */
  retryClassOf(request: Request): RetryClass {
    return retryClassOf(request.method, request.url, this.options.baseUrl);
  }

  /** Send `request`, retrying as its operation's retry class allows; resolves only with a 2xx response. */
  async send(request: Request, options: SendOptions = {}): Promise<Response> {
    const retry = this.retryClassOf(request);
    const deadline = options.deadline ?? performance.now() + this.options.retry.maxRetryTime * 1000;
    // Buffer the body once so every attempt sends identical bytes.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const headers = this.headersFor(request);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const budget = options.budget ?? { used: 0 };
    for (;;) {
      let failure: Failure;
      let error: Error;
      // The timeout covers the whole exchange, except a stream's body: that is read by the
      // caller for as long as the prediction runs, so for a stream it ends with the headers.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new DOMException("The request timed out", "TimeoutError")), timeoutMs);
      try {
        const response = await this.options.fetch(
          new Request(request.url, {
            method: request.method,
            headers,
            body: body ?? null,
            signal: AbortSignal.any([request.signal, timeout.signal]),
            redirect: request.redirect,
          }),
        );
        if (response.ok) return options.streaming ? response : await buffered(response);
        const problem = await errorFromResponse(response);
        failure = { kind: "status", status: problem.status, retryAfter: problem.retryAfter };
        error = problem;
      } catch (caught) {
        if (request.signal.aborted) throw caught;
        error = toConnectionError(caught, timeout.signal.aborted, timeoutMs);
        failure = failureOf(error);
      } finally {
        clearTimeout(timer);
      }
      const delay = this.options.retry.nextDelay(retry, failure, budget.used);
      if (delay === undefined || performance.now() + delay * 1000 > deadline) throw error;
      budget.used += 1;
      await this.sleep(delay * 1000, request.signal);
    }
  }

  private headersFor(request: Request): Headers {
    const headers = new Headers(request.headers);
    if (!headers.has("user-agent")) headers.set("user-agent", this.options.userAgent);
    // The token goes only to the API's own origin, never to file or third-party hosts.
    if (new URL(request.url).origin === this.origin) {
      headers.set("authorization", `Bearer ${usableToken(this.#auth)}`);
    }
    return headers;
  }
}

/**
 * The token, or a clear `AuthenticationError` before any request is made. The error never quotes
 * the token: a header value the Fetch API refuses would otherwise echo it in a `TypeError`.
 */
function usableToken(auth: string | undefined): string {
  const token = auth?.trim();
  if (!token) {
    throw new AuthenticationError({
      status: 401,
      title: "Missing API token",
      message: "Missing API token: set the REPLICATE_API_TOKEN environment variable or pass `auth` to new Replicate()",
    });
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new AuthenticationError({
      status: 401,
      title: "Malformed API token",
      message:
        "The API token contains whitespace or non-ASCII characters and cannot be sent; " +
        "check REPLICATE_API_TOKEN (or the `auth` option) for a stray character",
    });
  }
  return token;
}

/**
 * The response with its body already read, so a connection that breaks mid-body fails inside the
 * retry loop (as a connection error) rather than later in the caller's `json()`.
 */
async function buffered(response: Response): Promise<Response> {
  const empty = [204, 205, 304].includes(response.status);
  const body = empty ? null : await response.arrayBuffer();
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** The policy's view of an error thrown by `send`. */
export function failureOf(error: unknown): Failure {
  if (error instanceof ReplicateError) return { kind: "status", status: error.status, retryAfter: error.retryAfter };
  if (error instanceof APIConnectionError) return { kind: "connection", requestSent: error.requestSent };
  return { kind: "other" };
}

function toConnectionError(caught: unknown, timedOut: boolean, timeoutMs: number): Error {
  if (caught instanceof ReplicateError) return caught;
  if (timedOut) {
    return new APITimeoutError(`Request timed out after ${timeoutMs} ms`, { requestSent: true, cause: caught });
  }
  const code = errorCode(caught);
  if (caught instanceof TypeError || code !== undefined) {
    const requestSent = code === undefined || !NOT_SENT_CODES.has(code);
    const reason = code ?? (caught instanceof Error ? caught.message : String(caught));
    return new APIConnectionError(`Could not reach the Replicate API (${reason})`, { requestSent, cause: caught });
  }
  return caught instanceof Error ? caught : new Error(String(caught));
}

/** The system error code behind a fetch failure (undici wraps it in `cause`, sometimes twice). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

