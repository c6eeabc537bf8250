/**
 * Which operation of the spec a request is, for its retry class. The table is generated from the
 * spec's `x-retry` (retry-classes.ts); this module only matches requests against it.
 */
import { OPERATIONS, type OperationRetry, type RetryClass } from "./retry-classes.js";

interface Matcher {
  method: string;
  pattern: RegExp;
  /** Literal characters of the template: `/predictions/{id}/cancel` beats `/predictions/{id}`. */
  weight: number;
  operation: OperationRetry;
}

const MATCHERS: readonly Matcher[] = OPERATIONS.map((operation) => {
  const source = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return {
    method: operation.method,
    pattern: new RegExp(`^${source}/?$`),
    weight: operation.path.replace(/\{[^}]+\}/g, "").length,
    operation,
  };
}).sort((a, b) => b.weight - a.weight);

/** The spec's operation for `method url`, when `url` is under `baseUrl` (the API root with `/v1`). */
export function operationOf(method: string, url: string, baseUrl: string): OperationRetry | undefined {
  const target = new URL(url);
  const root = new URL(baseUrl);
  if (target.origin !== root.origin) return undefined;
  const prefix = root.pathname.replace(/\/$/, "");
  if (!target.pathname.startsWith(`${prefix}/`)) return undefined;
  const path = target.pathname.slice(prefix.length);
  const upper = method.toUpperCase();
  return MATCHERS.find((m) => m.method === upper && m.pattern.test(path))?.operation;
}

/**
 * The retry class of a request. A request that is no operation of the API (a file download, an
 * event stream on another host) is a plain read when it is a GET or HEAD, and otherwise is never
 * repeated blindly.
 */
export function retryClassOf(method: string, url: string, baseUrl: string): RetryClass {
  const operation = operationOf(method, url, baseUrl);
  if (operation) return operation.retry;
  return ["GET", "HEAD"].includes(method.toUpperCase()) ? "idempotent" : "never";
}
