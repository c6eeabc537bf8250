/**
 * The generated protobuf-es types compile together with the client (tsconfig.test.json includes
 * generated/typescript) and work at run time; their status enum matches the OpenAPI one.
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import { create, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";

import { PredictionStatus } from "../../generated/typescript/proto/replicate_kit/v1/common_pb.js";
import {
  PredictionSchema,
  StreamPredictionResponseSchema,
} from "../../generated/typescript/proto/replicate_kit/v1/predictions_pb.js";
import type { PredictionStatus as HttpStatus } from "../src/index.js";

const HTTP_STATUSES: HttpStatus[] = ["starting", "processing", "succeeded", "failed", "canceled", "aborted"];

test("every OpenAPI prediction status has a protobuf enum member of the same name", () => {
  const names = Object.keys(PredictionStatus).filter((key) => Number.isNaN(Number(key)));
  for (const status of HTTP_STATUSES) {
    assert.ok(names.includes(status.toUpperCase()), `PredictionStatus.${status.toUpperCase()} is missing`);
  }
});

test("a Prediction message round-trips through the binary format", () => {
  const message = create(PredictionSchema, {
    id: "ufawqhfynnddngldkgtslldrkq",
    model: "replicate/hello-world",
    version: "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
    status: PredictionStatus.SUCCEEDED,
    createdAt: timestampFromDate(new Date("2026-01-01T00:00:00Z")),
    webhookEventsFilter: ["completed"],
  });
  const decoded = fromBinary(PredictionSchema, toBinary(PredictionSchema, message));
  assert.equal(decoded.id, message.id);
  assert.equal(decoded.status, PredictionStatus.SUCCEEDED);
  const json = toJson(PredictionSchema, decoded) as Record<string, unknown>;
  assert.equal(json["createdAt"], "2026-01-01T00:00:00Z");
  assert.equal(json["status"], "PREDICTION_STATUS_SUCCEEDED");
});

test("a StreamPredictionResponse reads in both forms: one event, or a batch of them", () => {
  const single = create(StreamPredictionResponseSchema, { id: "1:1", event: { case: "output", value: "a" } });
  const batch = create(StreamPredictionResponseSchema, {
    events: [single, create(StreamPredictionResponseSchema, { id: "1:2", event: { case: "logs", value: "l" } })],
  });
  const flat = (bytes: Uint8Array) => {
    const message = fromBinary(StreamPredictionResponseSchema, bytes);
    const events = message.events.length > 0 ? message.events : [message];
    return events.map((event) => [event.id, event.event.case, event.event.value]);
  };
  assert.deepEqual(flat(toBinary(StreamPredictionResponseSchema, single)), [["1:1", "output", "a"]]);
  assert.deepEqual(flat(toBinary(StreamPredictionResponseSchema, batch)), [
    ["1:1", "output", "a"],
    ["1:2", "logs", "l"],
  ]);
});

test("a StreamPredictionResponse also reads as an output run (to requests with outputRuns set)", () => {
  const run = create(StreamPredictionResponseSchema, {
    outputRun: { seconds: [7n, 8n], seqs: [3n, 4n], outputs: ["a", "b\nc"] },
  });
  const message = fromBinary(StreamPredictionResponseSchema, toBinary(StreamPredictionResponseSchema, run));
  assert.equal(message.event.case, undefined);
  assert.equal(message.events.length, 0);
  const columns = message.outputRun!;
  const events = columns.outputs.map((output, i) => [`${columns.seconds[i]}:${columns.seqs[i]}`, output]);
  assert.deepEqual(events, [
    ["7:3", "a"],
    ["8:4", "b\nc"],
  ]);
});
