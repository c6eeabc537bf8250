/** The retry-class table is the spec's `x-retry`, and requests map onto its operations. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";

import { operationOf, retryClassOf } from "../src/operations.js";
import { OPERATIONS } from "../src/retry-classes.js";
import { REPO_ROOT } from "./mock.js";

const BASE = "https://api.example.test/v1";

describe("retry classes", () => {
  test("ts/src/retry-classes.ts matches the spec (no drift)", () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "ts", "scripts", "gen-retry-classes.mjs"), "--check"], {
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
  });

  test("the creates that run something are reconciled; other creates are never repeated blindly", () => {
    const reconcile = OPERATIONS.filter((op) => op.retry === "reconcile").map((op) => op.id).sort();
    assert.deepEqual(reconcile, ["deployments.predictions.create", "models.predictions.create", "predictions.create", "trainings.create"]);
    assert.equal(OPERATIONS.find((op) => op.id === "files.create")?.retry, "never");
  });

  test("requests find their operation, placeholders and all", () => {
    assert.equal(operationOf("POST", `${BASE}/predictions`, BASE)?.id, "predictions.create");
    assert.equal(operationOf("GET", `${BASE}/predictions?created_after=2026-01-01T00:00:00Z`, BASE)?.id, "predictions.list");
    assert.equal(operationOf("POST", `${BASE}/predictions/abc/cancel`, BASE)?.id, "predictions.cancel");
    assert.equal(operationOf("POST", `${BASE}/models/o/n/versions/v/trainings`, BASE)?.id, "trainings.create");
    assert.equal(operationOf("POST", `${BASE}/deployments/o/n/predictions`, BASE)?.id, "deployments.predictions.create");
    assert.equal(operationOf("GET", "https://elsewhere.test/v1/predictions", BASE), undefined);
    assert.equal(retryClassOf("POST", `${BASE}/predictions/abc/cancel`, BASE), "idempotent");
    assert.equal(retryClassOf("POST", `${BASE}/files`, BASE), "never");
  });

  test("a request outside the API is a plain read when it is a GET, else never repeated", () => {
    assert.equal(retryClassOf("GET", "https://files.example.test/output.png", BASE), "idempotent");
    assert.equal(retryClassOf("POST", "https://hooks.example.test/x", BASE), "never");
  });
});
