export { Replicate, DEFAULT_BASE_URL, VERSION } from "./client.js";
export type {
  CreatePredictionOptions,
  ListOptions,
  ReplicateOptions,
  RunOptions,
  StreamOptions,
  WaitOptions,
  WaitPreference,
  WebhookOptions,
} from "./client.js";
export { FileOutput, decodeDataUri } from "./file-output.js";
export type { Download } from "./file-output.js";
export { MAX_DATA_URI_SIZE } from "./files.js";
export type { FileEncodingStrategy, FileInput } from "./files.js";
export {
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  ModelError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ReplicateError,
  ReplicateException,
  StreamError,
  UnprocessableEntityError,
  WebhookValidationError,
  errorClassForStatus,
} from "./errors.js";
export { RetryPolicy, RETRYABLE_STATUSES, parseRetryAfter } from "./retry.js";
export type { CallKind, Failure, ReconcileOptions, RetryClass, RetryOptions } from "./retry.js";
export { ServerSentEvent, StreamState } from "./stream.js";
export type { DoneReason, EventName } from "./stream.js";
export { DEFAULT_TOLERANCE_SECONDS, signWebhook, validateWebhook, verifySignature } from "./webhooks.js";
export type { ValidateOptions, WebhookBody, WebhookHeaders, WebhookParts, WebhookRequestLike } from "./webhooks.js";
export { parseRef, isVersionId } from "./refs.js";
export { TERMINAL_STATUSES, isTerminal } from "./types.js";
export type * from "./types.js";
export { Replicate as default } from "./client.js";
