/**
 * Event streams over a scripted fetch (no mock): a stream that goes silent is reopened with
 * Last-Event-ID after the idle timeout; keep-alive comments and a slow consumer do not count as
 * silence; the `done` event's reason.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { APITimeoutError, Replicate, RetryPolicy, ServerSentEvent, StreamError } from "../src/index.js";
import { Transport } from "../src/http.js";
import { eventStream } from "../src/stream.js";

const PREDICTION = {
  id: "p1",
  status: "starting",
  urls: { get: "http://api.test/v1/predictions/p1", stream: "http://api.test/v1/predictions/p1/stream" },
};

type Step = string | { silence: number } | "hang";

/** A body that sends each text step and waits `silence` ms where asked; "hang" never sends again. */
function scripted(steps: Step[], canceled: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const step = steps[index++];
          if (step === undefined) {
            controller.close();
            return;
          }
          if (step === "hang") return new Promise<void>(() => undefined);
          if (typeof step === "string") {
            controller.enqueue(encoder.encode(step));
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, step.silence));
        }
      },
      cancel() {
        canceled();
      },
    },
    { highWaterMark: 0 },
  );
}

/** A client whose stream connections play `bodies` in turn; records each connection's Last-Event-ID. */
function client(bodies: Step[][]): { replicate: Replicate; resumedFrom: (string | null)[]; canceled: number[] } {
  const resumedFrom: (string | null)[] = [];
  const canceled: number[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    if (request.method === "POST") return Response.json(PREDICTION, { status: 201 });
    const connection = resumedFrom.length;
    resumedFrom.push(request.headers.get("last-event-id"));
    const steps = bodies[connection] ?? [];
    return new Response(scripted(steps, () => canceled.push(connection)), {
      headers: { "content-type": "text/event-stream" },
    });
  };
  const replicate = new Replicate({ auth: "r8_x", baseUrl: "http://api.test", fetch, retry: { initialDelay: 0.001 } });
  return { replicate, resumedFrom, canceled };
}

const output = (id: number, text: string): string => `id: ${id}\nevent: output\ndata: ${text}\n\n`;
const done = (id: number, data = "{}"): string => `id: ${id}\nevent: done\ndata: ${data}\n\n`;

async function collect(events: AsyncIterable<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const seen: ServerSentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe("idle timeout", () => {
  test("a stream that goes silent is reopened with Last-Event-ID and loses no token", { timeout: 5_000 }, async () => {
    const { replicate, resumedFrom, canceled } = client([
      [output(1, "Hello"), "hang"],
      [output(2, " world"), done(3)],
    ]);
    const events = await collect(replicate.stream("owner/model", { input: {}, idleTimeout: 30 }));
    assert.equal(events.map(String).join(""), "Hello world");
    assert.equal(events.at(-1)?.event, "done");
    assert.deepEqual(resumedFrom, [null, "1"]);
    assert.ok(canceled.includes(0), "the silent connection was closed");
  });

  test("keep-alive comments keep a quiet stream open", { timeout: 5_000 }, async () => {
    // 250 ms of quiet, a comment every 50 ms, against a 200 ms timeout.
    const quiet: Step[] = Array.from({ length: 5 }, (): Step[] => [{ silence: 50 }, ": keep-alive\n\n"]).flat();
    const { replicate, resumedFrom } = client([[...quiet, output(1, "late"), done(2)]]);
    const events = await collect(replicate.stream("owner/model", { input: {}, idleTimeout: 200 }));
    assert.equal(events.map(String).join(""), "late");
    assert.equal(resumedFrom.length, 1, "never reopened");
  });

  test("a consumer slower than the timeout is not taken for a silent server", { timeout: 5_000 }, async () => {
    const { replicate, resumedFrom } = client([[output(1, "a"), output(2, "b"), output(3, "c"), done(4)]]);
    let text = "";
    for await (const event of replicate.stream("owner/model", { input: {}, idleTimeout: 10 })) {
      text += event;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    assert.equal(text, "abc");
    assert.equal(resumedFrom.length, 1, "never reopened");
  });

  test("a server that stays silent ends in StreamError caused by the timeout", { timeout: 5_000 }, async () => {
    let connections = 0;
    const silent = async (): Promise<Response> => (connections++, new Response(scripted(["hang"], () => undefined)));
    const transport = new Transport({ auth: "r8_x", baseUrl: "http://api.test/v1", fetch: silent, retry: new RetryPolicy(), timeoutMs: 1_000, userAgent: "test" });
    const events = eventStream(transport, PREDICTION.urls.stream, { idleTimeoutMs: 10, reconnectDelayMs: 1, maxReconnects: 2 });
    await assert.rejects(collect(events), (error: unknown) => {
      assert.ok(error instanceof StreamError);
      assert.ok(error.cause instanceof APITimeoutError, String(error.cause));
      return true;
    });
    assert.equal(connections, 3, "the first connection and two reconnects");
  });
});

describe("done reason", () => {
  test("is typed on the event: undefined on success, the reason otherwise", async () => {
    assert.equal(new ServerSentEvent("done", "{}").reason, undefined);
    assert.equal(new ServerSentEvent("done", '{"reason":"canceled"}').reason, "canceled");
    assert.equal(new ServerSentEvent("output", '{"reason":"canceled"}').reason, undefined);
    const { replicate } = client([[output(1, "x"), done(2, '{"reason":"canceled"}')]]);
    const events = await collect(replicate.stream("owner/model", { input: {} }));
    assert.equal(events.at(-1)?.reason, "canceled");
  });
});
