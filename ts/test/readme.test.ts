/**
 * The README's TypeScript section: its code blocks are exactly the files in ts/examples/, and
 * those files work (the quick start and the file example run against the mock; the webhook
 * handler accepts a signed delivery and refuses a forged one).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { signWebhook } from "../src/index.js";
import { handleWebhook } from "../examples/webhook.js";
import { type Mock, REPO_ROOT, startMock } from "./mock.js";

const run = promisify(execFile);
const EXAMPLES = join(REPO_ROOT, "ts", "examples");

let mock: Mock;
before(async () => {
  mock = await startMock("r8_ts_readme");
});
after(async () => {
  await mock?.stop();
});

function typescriptSection(): string[] {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## TypeScript\n");
  assert.ok(start >= 0, "README.md has a '## TypeScript' section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

test("the README's TypeScript blocks are the example files, verbatim", () => {
  const blocks = typescriptSection();
  assert.equal(blocks.length, 3);
  assert.equal(blocks[0], readFileSync(join(EXAMPLES, "quickstart.ts"), "utf8"));
  assert.equal(blocks[1], readFileSync(join(EXAMPLES, "files.ts"), "utf8"));
  assert.equal(blocks[2], readFileSync(join(EXAMPLES, "webhook.ts"), "utf8"));
});

test("the quick start runs against the mock", async () => {
  // The compiled example sits next to this compiled test (dist/ts/examples/).
  const script = new URL("../examples/quickstart.js", import.meta.url);
  const { stdout } = await run(process.execPath, [script.pathname], {
    env: { ...process.env, REPLICATE_API_TOKEN: mock.token, REPLICATE_BASE_URL: mock.url },
    timeout: 15_000,
  });
  const lines = stdout.trim().split("\n");
  assert.equal(lines[0], "hello TypeScript");
  assert.ok((lines[1] ?? "").trim().split(" ").length >= 3, `streamed text: ${lines[1]}`);
  assert.match(lines[2] ?? "", /^[a-z0-9]{26} starting$/);
});

test("the file example runs against the mock", async () => {
  const script = new URL("../examples/files.js", import.meta.url);
  const { stdout } = await run(process.execPath, [script.pathname], {
    env: { ...process.env, REPLICATE_API_TOKEN: mock.token, REPLICATE_BASE_URL: mock.url },
    timeout: 15_000,
  });
  // The mock answers a held run with its image inline, as a data: URI.
  assert.deepEqual(stdout.trim().split("\n").slice(0, 1), ["data:"]);
  assert.match(stdout, /^image\/png \d+$/m);
  assert.match(stdout, /^10 application\/octet-stream$/m);
});

test("the webhook handler accepts a signed delivery and refuses a forged one", async () => {
  const secret = `whsec_${Buffer.from("readme example key").toString("base64")}`;
  const body = JSON.stringify({ id: "abc", status: "succeeded" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const deliver = (signature: string): Request =>
    new Request("https://example.com/webhooks/replicate", {
      method: "POST",
      headers: { "webhook-id": "msg_readme", "webhook-timestamp": timestamp, "webhook-signature": signature },
      body,
    });
  const logged: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => logged.push(args.join(" "));
  try {
    assert.equal((await handleWebhook(deliver(signWebhook(secret, "msg_readme", timestamp, body)), secret)).status, 204);
    const forged = signWebhook(`whsec_${Buffer.from("another key").toString("base64")}`, "msg_readme", timestamp, body);
    assert.equal((await handleWebhook(deliver(forged), secret)).status, 401);
  } finally {
    console.log = original;
  }
  assert.deepEqual(logged, ["prediction abc is succeeded"]);
});
