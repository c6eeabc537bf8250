/**
 * Error classes. The API's problem+json errors become a `ReplicateError` subclass chosen by
 * status, so callers can `instanceof NotFoundError` instead of comparing numbers.
 */
import type { InvalidField, Prediction, Problem } from "./types.js";
import { parseRetryAfter, retryHintFromText } from "./retry.js";

/** Base class of everything this client throws on purpose. */
export class ReplicateException extends Error {
  /**
   * The prediction (or training) the failed call had started, when there is one: it may still be
   * running (and billed) after the client gave up, so the caller can get, wait for or cancel it.
   */
  predictionId: string | undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `error`, marked with the prediction it concerns unless it names one already. */
export function withPredictionId(error: unknown, id: string): unknown {
  if (error instanceof ReplicateException && error.predictionId === undefined) error.predictionId = id;
  return error;
}

export interface ReplicateErrorFields {
  status: number;
  title?: string | undefined;
  detail?: string | undefined;
  type?: string | undefined;
  instance?: string | undefined;
  invalidFields?: InvalidField[] | undefined;
  /** Seconds the server asked to wait before retrying (`Retry-After` or a body hint). */
  retryAfter?: number | undefined;
  /** The request URL, without its query string (cursors and signed parameters stay out of logs). */
  url?: string | undefined;
  /** The message, when no response is behind the error (say a missing token); otherwise built from the fields. */
  message?: string | undefined;
}

/** The API answered with an error status. */
export class ReplicateError extends ReplicateException {
  readonly status: number;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly instance: string | undefined;
  readonly invalidFields: InvalidField[];
  readonly retryAfter: number | undefined;
  readonly url: string | undefined;

  constructor(fields: ReplicateErrorFields) {
    super(fields.message ?? describe(fields));
    this.status = fields.status;
    this.title = fields.title;
    this.detail = fields.detail;
    this.type = fields.type;
    this.instance = fields.instance;
    this.invalidFields = fields.invalidFields ?? [];
    this.retryAfter = fields.retryAfter;
    this.url = fields.url;
  }
}

function describe(fields: ReplicateErrorFields): string {
  let text = `HTTP ${fields.status}`;
  if (fields.title) text += ` ${fields.title}`;
  if (fields.detail) text += `: ${fields.detail.trim()}`;
  for (const field of fields.invalidFields ?? []) {
    text += `\n  - ${field.field}: ${field.description || field.type}`;
  }
  return text;
}

export class BadRequestError extends ReplicateError {}
export class AuthenticationError extends ReplicateError {}
export class PaymentRequiredError extends ReplicateError {}
export class PermissionDeniedError extends ReplicateError {}
export class NotFoundError extends ReplicateError {}
export class ConflictError extends ReplicateError {}
export class UnprocessableEntityError extends ReplicateError {}
export class RateLimitError extends ReplicateError {}
export class InternalServerError extends ReplicateError {}

const BY_STATUS: Record<number, typeof ReplicateError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export function errorClassForStatus(status: number): typeof ReplicateError {
  if (status >= 500) return InternalServerError;
  return BY_STATUS[status] ?? ReplicateError;
}

/** Build the typed error for a non-2xx response (reads its body). */
export async function errorFromResponse(response: Response, now: Date = new Date()): Promise<ReplicateError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // A body that cannot be read still leaves a useful status-only error.
  }
  let problem: Problem = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) problem = parsed as Problem;
  } catch {
    if (text.trim()) problem = { detail: text.trim().slice(0, 500) };
  }
  const detail = typeof problem.detail === "string" ? problem.detail : undefined;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now) ?? retryHintFromText(detail);
  const url = new URL(response.url || "http://unknown/");
  const Class = errorClassForStatus(response.status);
  return new Class({
    status: response.status,
    title: typeof problem.title === "string" ? problem.title : response.statusText || undefined,
    detail,
    type: typeof problem.type === "string" ? problem.type : undefined,
    instance: typeof problem.instance === "string" ? problem.instance : undefined,
    invalidFields: Array.isArray(problem.invalid_fields) ? problem.invalid_fields : undefined,
    retryAfter,
    url: response.url ? url.origin + url.pathname : undefined,
  });
}

/**
 * The API could not be reached or the connection broke. `requestSent` is false only when the
 * failure provably happened before the request left this machine (e.g. connection refused): only
 * then may a create be retried without risking a duplicate prediction.
 */
export class APIConnectionError extends ReplicateException {
  readonly requestSent: boolean;

  constructor(message: string, options: { requestSent: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.requestSent = options.requestSent;
  }
}

/** The request took longer than the client's timeout. */
export class APITimeoutError extends APIConnectionError {}

/** A server-sent event stream reported an error or could not be resumed. */
export class StreamError extends ReplicateException {}

/** A prediction finished as `failed` (or `aborted`); `prediction` holds it. */
export class ModelError extends ReplicateException {
  readonly prediction: Prediction;

  constructor(prediction: Prediction) {
    super(prediction.error ?? `Prediction ${prediction.id} ${prediction.status}`);
    this.prediction = prediction;
  }
}

/** A webhook request lacks what is needed to check it (headers, body, a usable secret). */
export class WebhookValidationError extends ReplicateException {}
