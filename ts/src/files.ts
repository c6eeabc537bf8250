/**
 * Files in a model's input, as the official npm client handles them: `Blob`/`File`, `Buffer`,
 * typed arrays and `ArrayBuffer`s anywhere in the input (inside arrays and plain objects) are
 * uploaded through the Files API and replaced by the file's URL, or inlined as `data:` URIs with
 * `fileEncodingStrategy: "data-uri"`. `"default"` uploads and falls back to data URIs when the
 * upload fails for a reason other than the request itself (a 4xx is surfaced).
 */
import { ReplicateError } from "./errors.js";
import { isPlainObject } from "./output.js";

export type FileEncodingStrategy = "default" | "upload" | "data-uri";

/** What `files.create` and model inputs accept as file content. */
export type FileInput = Blob | ArrayBuffer | ArrayBufferView;

/** Inline encoding stops at this many bytes per input (as in the official client). */
export const MAX_DATA_URI_SIZE = 10_000_000;

function isFileInput(value: unknown): value is FileInput {
  return value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** True when a file value appears anywhere in `value`. */
function containsFiles(value: unknown): boolean {
  if (isFileInput(value)) return true;
  if (Array.isArray(value)) return value.some(containsFiles);
  if (isPlainObject(value)) return Object.values(value).some(containsFiles);
  return false;
}

/** A copy of `value` with each file replaced by `await map(file)`, in order. */
async function mapFiles(value: unknown, map: (file: FileInput) => Promise<string>): Promise<unknown> {
  if (isFileInput(value)) return map(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await mapFiles(item, map));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await mapFiles(item, map);
    return out;
  }
  return value;
}

/** The bytes of a file value (a view over the same memory where possible). */
async function fileBytes(file: FileInput): Promise<Uint8Array<ArrayBuffer>> {
  if (file instanceof Blob) return new Uint8Array(await file.arrayBuffer());
  if (file instanceof ArrayBuffer) return new Uint8Array(file);
  return new Uint8Array(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
}

/** A `Blob` of the file with its name and MIME type (the defaults follow the official client). */
export async function toBlob(
  file: FileInput,
  options: { filename?: string | undefined; contentType?: string | undefined } = {},
): Promise<{ blob: Blob; filename: string }> {
  const given = file instanceof Blob ? file : undefined;
  const fileName = given !== undefined && "name" in given && typeof given.name === "string" ? given.name : "";
  const filename = options.filename || fileName || `${given ? "blob" : "buffer"}_${Date.now()}`;
  const type = options.contentType || given?.type || "application/octet-stream";
  // A Blob is retyped by slicing (no copy, nothing read): only raw bytes are wrapped in a new one.
  const blob = given ? (given.type === type ? given : given.slice(0, given.size, type)) : new Blob([await fileBytes(file)], { type });
  return { blob, filename };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Files in `input` as `data:` URIs; throws past `MAX_DATA_URI_SIZE` bytes in total. */
async function inlineFiles(input: unknown): Promise<unknown> {
  let total = 0;
  return mapFiles(input, async (file) => {
    const bytes = await fileBytes(file);
    total += bytes.byteLength;
    if (total > MAX_DATA_URI_SIZE) {
      throw new Error(
        `Combined filesize of prediction ${total} bytes exceeds 10mb limit for inline encoding, please provide URLs instead`,
      );
    }
    const type = (file instanceof Blob && file.type) || "application/octet-stream";
    return `data:${type};base64,${base64(bytes)}`;
  });
}

/**
 * `input` with its files encoded by `strategy`; `upload` stores one file and returns its URL.
 * An input without files is returned as is.
 */
export async function encodeFiles<T>(
  input: T,
  strategy: FileEncodingStrategy,
  upload: (file: FileInput) => Promise<string>,
  signal?: AbortSignal,
): Promise<T> {
  if (!containsFiles(input)) return input;
  switch (strategy) {
    case "data-uri":
      return (await inlineFiles(input)) as T;
    case "upload":
      return (await mapFiles(input, upload)) as T;
    case "default":
      try {
        return (await mapFiles(input, upload)) as T;
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof ReplicateError && error.status >= 400 && error.status < 500) throw error;
        return (await inlineFiles(input)) as T;
      }
    default:
      throw new Error(`Unexpected file encoding strategy: ${String(strategy)}`);
  }
}
