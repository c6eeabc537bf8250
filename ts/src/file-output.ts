/**
 * `FileOutput`: a file produced by a model, shaped like the official npm client's: a
 * `ReadableStream<Uint8Array>` of the file's bytes (so `for await (const chunk of output)` works)
 * with `url()`, `blob()` and `toString()`. Unlike the official one it downloads nothing until it is
 * read: `String(output)`, `JSON.stringify(output)` and `console.log(output)` only show the URL.
 * `data:` URIs are decoded locally; downloads go through the client's transport, which sends the
 * API token to the API's own origin only.
 */

/** Opens the file at `url` (a successful response whose body is not read yet). */
export type Download = (url: string, signal?: AbortSignal) => Promise<Response>;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

export class FileOutput extends ReadableStream<Uint8Array> {
  readonly #url: string;
  readonly #download: Download;

  constructor(url: string, download: Download) {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    super(
      {
        // Pulled only when someone reads (highWaterMark 0): constructing one never downloads.
        async pull(controller) {
          if (reader === undefined) {
            const body = url.startsWith("data:") ? new Blob([decodeDataUri(url).bytes]).stream() : (await download(url)).body;
            if (body === null) {
              controller.close();
              return;
            }
            reader = body.getReader();
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel(reason) {
          await reader?.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    this.#url = url;
    this.#download = download;
  }

  /** The file's URL (a `data:` URL for inline outputs). Never downloads. */
  url(): URL {
    return new URL(this.#url);
  }

  /**
   * The whole file, typed by the response's `Content-Type` (or the data URI's). Each call reads
   * the file afresh, independently of the stream.
   */
  async blob(options: { signal?: AbortSignal } = {}): Promise<Blob> {
    if (this.#url.startsWith("data:")) {
      const { bytes, type } = decodeDataUri(this.#url);
      return new Blob([bytes], { type });
    }
    const response = await this.#download(this.#url, options.signal);
    return response.blob();
  }

  override toString(): string {
    return this.#url;
  }

  /** `JSON.stringify` gives the URL, so an output can be passed on as another model's input. */
  toJSON(): string {
    return this.#url;
  }

  [INSPECT](): string {
    const shown = this.#url.startsWith("data:") ? `${this.#url.slice(0, 40)}...` : this.#url;
    return `FileOutput(${JSON.stringify(shown)})`;
  }
}

/** The bytes and MIME type of a `data:` URI (base64 or percent-encoded). */
export function decodeDataUri(uri: string): { bytes: Uint8Array<ArrayBuffer>; type: string } {
  const comma = uri.indexOf(",");
  if (!uri.startsWith("data:") || comma < 0) throw new TypeError("Malformed data: URI (no comma)");
  const header = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  const base64 = /;base64$/i.test(header);
  const type = (base64 ? header.slice(0, -7) : header).split(";")[0]?.trim() || "text/plain";
  if (base64) {
    let binary: string;
    try {
      binary = atob(payload.replace(/\s+/g, ""));
    } catch {
      throw new TypeError("Malformed data: URI (bad base64)");
    }
    return { bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)), type };
  }
  // Percent escapes are ASCII, so they survive UTF-8 encoding and are decoded byte-wise after it.
  const raw = new TextEncoder().encode(payload);
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === 0x25 ? String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0) : "";
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(raw[i] ?? 0);
    }
  }
  return { bytes: Uint8Array.from(bytes), type };
}
