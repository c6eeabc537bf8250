/** Model references: `owner/name`, `owner/name:version` and bare version ids. Pure. */

const VERSION_ID = /^[0-9a-f]{64}$/;
const REF = /^(?<owner>[^/\s:]+)\/(?<name>[^/\s:]+)(?::(?<version>[^\s/:]+))?$/;

export interface ModelRef {
  owner?: string;
  name?: string;
  version?: string;
}

export function isVersionId(value: string): boolean {
  return VERSION_ID.test(value);
}

/** Parse a reference; throws a clear error for anything else. */
export function parseRef(ref: string): ModelRef {
  if (typeof ref !== "string") throw new TypeError(`A model reference must be a string, not ${typeof ref}`);
  const text = ref.trim();
  if (isVersionId(text)) return { version: text };
  const match = REF.exec(text);
  if (!match?.groups) {
    throw new Error(
      `Invalid model reference ${JSON.stringify(ref)}: expected 'owner/name', 'owner/name:version' or a 64-character version id`,
    );
  }
  const { owner, name, version } = match.groups;
  return version ? { owner, name, version } : { owner, name };
}

/** Normalise a base URL: `https://host` and `https://host/v1` both mean the v1 API root. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid base URL ${JSON.stringify(url)}: expected http(s)://host[/v1]`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`Invalid base URL ${JSON.stringify(url)}: expected http(s)://host[/v1]`);
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${parsed.origin}${path || "/v1"}`;
}
