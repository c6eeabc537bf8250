/**
 * Server-sent events of a prediction. Parsing is eventsource-parser's; this module decides what
 * the events mean (`output`, `logs`, `error`, `done`), skips unknown ones, and resumes a dropped
 * stream with `Last-Event-ID` so no token is lost or repeated. A stream on which no byte (not
 * even a keep-alive comment) arrives for the idle timeout counts as dropped.
 */
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";

import { APITimeoutError, StreamError } from "./errors.js";
import type { FileOutput } from "./file-output.js";
import { type Transport, abortableSleep } from "./http.js";
import type { StreamDoneData } from "./types.js";

export type EventName = "output" | "logs" | "error" | "done";

/** Why a stream ended (the `reason` of its `done` event): the API's values, or any newer one. */
export type DoneReason = NonNullable<StreamDoneData["reason"]> | (string & {});

const KNOWN: ReadonlySet<string> = new Set<EventName>(["output", "logs", "error", "done"]);

/**
 * One event. `String(event)` (and template literals) give the text of an `output` event. `data`
 * is the event's text, or a `FileOutput` for a file output of a stream opened with `useFileOutput`.
 */
export class ServerSentEvent<D extends string | FileOutput = string> {
  constructor(
    readonly event: EventName,
    readonly data: D,
    readonly id?: string,
  ) {}

  toString(): string {
    return this.event === "output" ? String(this.data) : "";
  }

  /** The data parsed as JSON (`done` and `error` events carry JSON). */
  json(): unknown {
    const text = String(this.data);
    return text.trim() ? JSON.parse(text) : {};
  }

  /**
   * Why the stream ended, for a `done` event: `"canceled"`, `"error"` (the stream throws
   * `StreamError` then), or undefined when the prediction succeeded (and for other events).
   */
  get reason(): DoneReason | undefined {
    return this.event === "done" ? doneReason(String(this.data)) : undefined;
  }
}

export interface EventStreamOptions {
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds without a byte (events and keep-alive comments alike) after which an open
   * stream counts as dropped and is resumed; 0 or Infinity never gives up.
   */
  idleTimeoutMs?: number;
  /** Consecutive reconnects without a new event before giving up. */
  maxReconnects?: number;
  /** Milliseconds before the first reconnect; doubles each time. */
  reconnectDelayMs?: number;
}

/**
 * Decides what each parsed message means and remembers where to resume. Pure.
 * `accept` returns the event to hand over (undefined for unknown names) and throws `StreamError`
 * on an `error` event or a `done` whose reason is `error`.
 */
export class StreamState {
  lastEventId: string | undefined;
  finished = false;
  reason: string | undefined;

  accept(message: EventSourceMessage): ServerSentEvent | undefined {
    if (message.id) this.lastEventId = message.id;
    const name = message.event ?? "";
    if (!KNOWN.has(name)) return undefined;
    if (name === "error") throw new StreamError(errorText(message.data));
    if (name === "done") {
      this.finished = true;
      this.reason = doneReason(message.data);
      if (this.reason === "error") throw new StreamError("The prediction failed (stream ended with reason 'error')");
    }
    return new ServerSentEvent(name as EventName, message.data, message.id);
  }
}

function errorText(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed !== null && typeof parsed === "object") {
      const record = parsed as Record<string, unknown>;
      for (const key of ["detail", "error", "message"]) {
        if (typeof record[key] === "string" && record[key]) return record[key];
      }
    }
  } catch {
    // Plain-text error data is the message itself.
  }
  return data || "The prediction failed";
}

function doneReason(data: string): DoneReason | undefined {
  try {
    const parsed = (data.trim() ? JSON.parse(data) : {}) as StreamDoneData | null;
    return typeof parsed?.reason === "string" && parsed.reason ? parsed.reason : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rejects a pending read once no chunk has arrived for `ms` while the reader waits. The clock runs
 * only during a read, so a consumer that is slow between events is never taken for a silent server.
 */
class IdleTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expire: (() => void) | undefined;

  constructor(private readonly ms: number) {}

  /** A chunk of the body arrived: the server is alive. */
  touch(): void {
    if (this.#expire) this.#arm();
  }

  async read<T>(read: Promise<T>): Promise<T> {
    if (!(this.ms > 0 && Number.isFinite(this.ms))) return read;
    const expired = new Promise<never>((_, reject) => {
      this.#expire = () => reject(new APITimeoutError(`No data on the event stream for ${this.ms} ms`, { requestSent: true }));
    });
    this.#arm();
    try {
      return await Promise.race([read, expired]);
    } finally {
      clearTimeout(this.#timer);
      this.#expire = undefined;
    }
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#expire?.(), this.ms);
  }
}

/** Events of the stream at `url` until `done`, reconnecting after drops and silences. */
export async function* eventStream(
  transport: Transport,
  url: string,
  options: EventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const state = new StreamState();
  const maxReconnects = options.maxReconnects ?? 5;
  const baseDelay = options.reconnectDelayMs ?? 100;
  let fruitless = 0;
  let lastFailure: unknown;
  for (;;) {
    const headers: Record<string, string> = { accept: "text/event-stream", "cache-control": "no-store" };
    if (state.lastEventId) headers["last-event-id"] = state.lastEventId;
    // Ends this connection (a silent one, or once done) without touching the caller's signal.
    const connection = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, connection.signal]) : connection.signal;
    const response = await transport.send(new Request(url, { headers, signal }), { streaming: true });
    if (response.body === null) throw new StreamError("The event stream has no body");
    const timer = new IdleTimer(options.idleTimeoutMs ?? 0);
    const reader = response.body
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            timer.touch();
            controller.enqueue(chunk);
          },
        }),
      )
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    let progressed = false;
    try {
      for (;;) {
        const { done, value } = await timer.read(reader.read());
        if (done) break;
        progressed = true;
        const event = state.accept(value);
        if (event !== undefined) yield event;
        if (state.finished) return;
      }
    } catch (error) {
      // A broken or silent connection is resumed below; meaningful failures are not.
      if (error instanceof StreamError || options.signal?.aborted) throw error;
      lastFailure = error;
    } finally {
      await reader.cancel().catch(() => undefined);
      connection.abort();
    }
    fruitless = progressed ? 0 : fruitless + 1;
    if (fruitless > maxReconnects) {
      throw new StreamError(`The event stream ended before 'done' and could not be resumed after ${maxReconnects} tries`, {
        cause: lastFailure,
      });
    }
    await abortableSleep(baseDelay * 2 ** Math.max(fruitless - 1, 0), options.signal);
  }
}
