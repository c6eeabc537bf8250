/**
 * Webhook signature checks (Standard Webhooks, which Replicate uses). The signed text is
 * `"{webhook-id}.{webhook-timestamp}.{raw body}"`, the HMAC-SHA256 key is the base64 part of the
 * `whsec_` secret, and `webhook-signature` lists `v1,<base64>` entries separated by spaces.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

import { WebhookValidationError } from "./errors.js";

/** Seconds a signature may be older (or newer) than the local clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookBody = string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

/** The parts of a delivery, for frameworks that already parsed headers and body. */
export interface WebhookParts {
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  body: WebhookBody | null | undefined;
  secret?: string;
}

/** A Fetch `Headers`, a plain object (Node's `IncomingHttpHeaders` included) or `[name, value]` pairs. */
export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

/** A Fetch `Request`, or anything with headers and the raw body. */
export interface WebhookRequestLike {
  headers: WebhookHeaders;
  body: WebhookBody | null | undefined;
}

export interface ValidateOptions {
  /** Replay window in seconds; `null` disables the timestamp check (not recommended). */
  tolerance?: number | null;
  /** The current time in seconds since the epoch (tests). */
  now?: number;
}

/**
 * `true` when the delivery was signed with `secret` within the tolerance window, `false` when the
 * signature does not match or the timestamp is stale. Throws `WebhookValidationError` when
 * headers, body or a usable secret are missing.
 *
 *     const ok = await validateWebhook(request, secret);            // Fetch Request
 *     const ok = await validateWebhook({ id, timestamp, signature, body, secret });
 */
export async function validateWebhook(
  request: Request | WebhookRequestLike | WebhookParts,
  secretOrOptions?: string | ValidateOptions,
  maybeOptions: ValidateOptions = {},
): Promise<boolean> {
  let parts: WebhookParts;
  let secret: string | undefined;
  let options: ValidateOptions;
  if ("headers" in request) {
    if (typeof secretOrOptions !== "string") throw new WebhookValidationError("The webhook secret must be a string");
    secret = secretOrOptions;
    options = maybeOptions;
    const read = (name: string): string | undefined => headerValue(request.headers, name);
    // The raw bytes: decoding as text would drop a byte-order mark or replace invalid UTF-8, and
    // the signature covers exactly what was sent.
    const body = request instanceof Request ? new Uint8Array(await request.clone().arrayBuffer()) : request.body;
    parts = { id: read("webhook-id"), timestamp: read("webhook-timestamp"), signature: read("webhook-signature"), body };
  } else {
    parts = request;
    secret = request.secret ?? (typeof secretOrOptions === "string" ? secretOrOptions : undefined);
    options = typeof secretOrOptions === "object" ? secretOrOptions : maybeOptions;
  }
  if (!parts.id || !parts.timestamp || !parts.signature) {
    throw new WebhookValidationError("Missing required webhook headers (webhook-id, webhook-timestamp, webhook-signature)");
  }
  if (!secret) throw new WebhookValidationError("Missing webhook signing secret");
  const body = await bodyBytes(parts.body);
  if (body.length === 0) throw new WebhookValidationError("Missing webhook body");
  return verifySignature({ id: parts.id, timestamp: parts.timestamp, signature: parts.signature, body, secret }, options);
}

/** The synchronous core of `validateWebhook` over raw bytes. */
export function verifySignature(
  delivery: { id: string; timestamp: string; signature: string; body: Uint8Array; secret: string },
  options: ValidateOptions = {},
): boolean {
  const key = decodeSecret(delivery.secret);
  // Integer seconds in ASCII digits only: a sign, spaces or separators make another text than
  // the one that was signed, and `Number()` would read them all the same.
  const timestamp = delivery.timestamp;
  if (!/^[0-9]+$/.test(timestamp)) return false;
  const tolerance = options.tolerance === undefined ? DEFAULT_TOLERANCE_SECONDS : options.tolerance;
  if (tolerance !== null) {
    const now = options.now ?? Date.now() / 1000;
    if (Math.abs(now - Number(timestamp)) > tolerance) return false;
  }
  const expected = createHmac("sha256", key)
    .update(`${delivery.id}.${timestamp}.`)
    .update(delivery.body)
    .digest();
  let matched = false;
  // A malformed entry is skipped, not fatal: Standard Webhooks lets a sender list several
  // signatures (key rotation, future versions), and any valid one suffices.
  for (const entry of delivery.signature.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const given = Buffer.from(entry.slice(comma + 1), "base64");
    // Every entry is compared (each in constant time) so timing does not tell which one matched.
    if (version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}

/** The `v1,<base64>` signature of a payload: what a sender puts in `webhook-signature`. */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string | Uint8Array): string {
  const digest = createHmac("sha256", decodeSecret(secret)).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return `v1,${digest}`;
}

function decodeSecret(secret: string): Buffer {
  const payload = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!payload || !/^[A-Za-z0-9+/]+={0,2}$/.test(payload)) {
    throw new WebhookValidationError("The webhook secret must look like 'whsec_<base64>'");
  }
  return Buffer.from(payload, "base64");
}

/** The value of header `name` (lower case); a repeated header's values joined by spaces, as signature entries are. */
function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name)?.replaceAll(", ", " ") ?? undefined;
  const pairs: Iterable<readonly [string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  const values: string[] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw new WebhookValidationError("Webhook headers must be a Headers object, a plain object or [name, value] pairs");
    }
    const [key, value] = pair;
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value.map(String) : [String(value)]));
  }
  return values.length > 0 ? values.join(" ") : undefined;
}

async function bodyBytes(body: WebhookBody | null | undefined): Promise<Uint8Array> {
  if (body === null || body === undefined) return new Uint8Array();
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(await new Response(body).arrayBuffer());
}
