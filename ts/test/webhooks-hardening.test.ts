/** Webhook validation edge cases: header containers, strict timestamps, mixed signature lists. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { type WebhookHeaders, WebhookValidationError, signWebhook, validateWebhook } from "../src/index.js";

const secret = "whsec_" + Buffer.from("hardening key").toString("base64");
const id = "msg_hardening";
const timestamp = "1796216809";
const body = '{"id":"p1","status":"succeeded"}';
const signature = signWebhook(secret, id, timestamp, body);
const at = { now: Number(timestamp) };
const pairs: [string, string][] = [
  ["Webhook-Id", id],
  ["Webhook-Timestamp", timestamp],
  ["Webhook-Signature", signature],
];

describe("header containers", () => {
  const containers: [string, () => WebhookHeaders][] = [
    ["Headers", () => new Headers(pairs)],
    ["plain object", () => Object.fromEntries(pairs)],
    ["array of pairs", () => pairs],
    ["Map", () => new Map(pairs)],
  ];
  for (const [name, make] of containers) {
    test(`${name}: a valid delivery passes and a tampered body fails`, async () => {
      const headers = make();
      assert.equal(await validateWebhook({ headers, body }, secret, at), true);
      assert.equal(await validateWebhook({ headers, body: body + " " }, secret, at), false);
    });
  }

  test("a Fetch Request built from pairs validates", async () => {
    const request = new Request("http://127.0.0.1/hook", { method: "POST", headers: pairs, body });
    assert.equal(await validateWebhook(request, secret, at), true);
  });

  test("a signature header given twice counts both values", async () => {
    const twice: [string, string][] = [...pairs.slice(0, 2), ["webhook-signature", "v1,AAAA"], ["webhook-signature", signature]];
    assert.equal(await validateWebhook({ headers: twice, body }, secret, at), true);
    assert.equal(await validateWebhook({ headers: new Headers(twice), body }, secret, at), true);
  });

  test("entries that are not pairs are a clear error", async () => {
    const broken = [["webhook-id"]] as unknown as [string, string][];
    await assert.rejects(validateWebhook({ headers: broken, body }, secret, at), WebhookValidationError);
  });
});

describe("timestamps", () => {
  for (const bad of ["+1796216809", " 1796216809", "1796216809 ", "1_796_216_809", "١٧٩٦٢١٦٨٠٩", "-1", "1796216809.0", "0x6b0f1a29"]) {
    test(`${JSON.stringify(bad)} is refused even when signed over that text`, async () => {
      const signed = signWebhook(secret, id, bad, body);
      const result = await validateWebhook({ id, timestamp: bad, signature: signed, body, secret }, { tolerance: null });
      assert.equal(result, false);
    });
  }
});

describe("signature lists", () => {
  for (const header of [`garbage ${signature}`, `${signature} garbage`, `v1 ${signature}`, `v1,not-base64!! ${signature}`, `v2,${signature.slice(3)} ${signature}`, `,,, ${signature}`]) {
    test(`${JSON.stringify(header.replace(signature, "<valid>"))} is accepted on its valid entry`, async () => {
      assert.equal(await validateWebhook({ id, timestamp, signature: header, body, secret }, at), true);
    });
  }
  for (const header of ["garbage", "v1", "v1,", "v1,AAAA garbage", `v2,${signature.slice(3)}`]) {
    test(`${JSON.stringify(header)} alone is rejected`, async () => {
      assert.equal(await validateWebhook({ id, timestamp, signature: header, body, secret }, at), false);
    });
  }
});
