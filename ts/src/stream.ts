/**
 * Server-sent events of a prediction. Parsing is eventsource-parser's; this module decides what
 * the events mean (`output`, `logs`, `error`, `done`), skips unknown ones, and resumes a dropped
 * stream with `Last-Event-ID` so no token is lost or repeated.
 */
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";

import { StreamError } from "./errors.js";
import { type Transport, abortableSleep } from "./http.js";
import type { StreamDoneData } from "./types.js";

export type EventName = "output" | "logs" | "error" | "done";

const KNOWN: ReadonlySet<string> = new Set<EventName>(["output", "logs", "error", "done"]);

/** One event. `String(event)` (and template literals) give the text of an `output` event. */
export class ServerSentEvent {
  constructor(
    readonly event: EventName,
    readonly data: string,
    readonly id?: string,
  ) {}

  toString(): string {
    return this.event === "output" ? this.data : "";
  }

  /** The data parsed as JSON (`done` and `error` events carry JSON). */
  json(): unknown {
    return this.data.trim() ? JSON.parse(this.data) : {};
  }
}

export interface EventStreamOptions {
  signal?: AbortSignal | undefined;
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

function doneReason(data: string): string | undefined {
  try {
    const parsed = (data.trim() ? JSON.parse(data) : {}) as StreamDoneData | null;
    return typeof parsed?.reason === "string" && parsed.reason ? parsed.reason : undefined;
  } catch {
    return undefined;
  }
}

/** Events of the stream at `url` until `done`, reconnecting after drops. */
export async function* eventStream(
  transport: Transport,
  url: string,
  options: EventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const state = new StreamState();
  const maxReconnects = options.maxReconnects ?? 5;
  const baseDelay = options.reconnectDelayMs ?? 100;
  let idle = 0;
  for (;;) {
    const headers: Record<string, string> = { accept: "text/event-stream", "cache-control": "no-store" };
    if (state.lastEventId) headers["last-event-id"] = state.lastEventId;
    const init: RequestInit = { headers };
    if (options.signal) init.signal = options.signal;
    const response = await transport.send(new Request(url, init), "read", { streaming: true });
    if (response.body === null) throw new StreamError("The event stream has no body");
    const reader = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    let progressed = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        progressed = true;
        const event = state.accept(value);
        if (event !== undefined) yield event;
        if (state.finished) return;
      }
    } catch (error) {
      // A broken connection is resumed below; meaningful failures are not.
      if (error instanceof StreamError || options.signal?.aborted) throw error;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    idle = progressed ? 0 : idle + 1;
    if (idle > maxReconnects) {
      throw new StreamError(`The event stream ended before 'done' and could not be resumed after ${maxReconnects} tries`);
    }
    await abortableSleep(baseDelay * 2 ** Math.max(idle - 1, 0), options.signal);
  }
}
