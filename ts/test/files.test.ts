/**
 * Files against the mock: the Files API (create/get/list/delete), files in a model's input
 * (uploaded, or inlined as data URIs) and file outputs as `FileOutput` (schema-aware, lazy, the
 * token sent to the API's own origin only).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { FileOutput, NotFoundError, Replicate, type FileObject, type ReplicateOptions } from "../src/index.js";
import { type Mock, mockClient, startMock } from "./mock.js";

const SDXL = "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b";
const SMALL = { prompt: "a small cat", width: 64, height: 64 };
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let mock: Mock;
let replicate: Replicate;

/** Every request the client makes, as the fetch it was given sees it. */
interface Seen {
  method: string;
  url: string;
  authorization: string | null;
}

function recordingClient(options: ReplicateOptions = {}): { client: Replicate; seen: Seen[] } {
  const seen: Seen[] = [];
  const client = mockClient(mock, {
    ...options,
    fetch: async (request) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.get("authorization") });
      // Another host's file: answered here, so the test needs no network.
      if (new URL(request.url).hostname === "files.example.com") {
        return new Response(new Uint8Array(PNG_MAGIC), { headers: { "content-type": "image/png" } });
      }
      return fetch(request);
    },
  });
  return { client, seen };
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function allFiles(client: Replicate): Promise<FileObject[]> {
  const files: FileObject[] = [];
  for await (const page of client.paginate(() => client.files.list())) files.push(...page);
  return files;
}

before(async () => {
  mock = await startMock("r8_ts_files");
  replicate = mockClient(mock);
});
after(async () => {
  await mock?.stop();
});

describe("files API", () => {
  test("create, get, list (paginated) and delete", async () => {
    const bytes = Buffer.from("hello, files");
    const created = await replicate.files.create(bytes, { purpose: "test" });
    assert.match(created.name ?? "", /^buffer_\d+$/);
    assert.equal(created.size, bytes.length);
    assert.equal(created.content_type, "application/octet-stream");
    assert.equal(created.checksums.sha256, sha256(bytes));
    assert.deepEqual(created.metadata, { purpose: "test" });
    assert.ok(created.urls.get.endsWith(`/v1/files/${created.id}`));

    const named = await replicate.files.create(new File(["{}"], "data.json", { type: "application/json" }));
    assert.equal(named.name, "data.json");
    assert.equal(named.content_type, "application/json");
    const typed = await replicate.files.create(new Uint8Array([1, 2, 3]), {}, { filename: "three.bin", contentType: "application/x-three" });
    assert.equal(typed.name, "three.bin");
    assert.equal(typed.content_type, "application/x-three");
    assert.equal(typed.size, 3);

    const fetched = await replicate.files.get(created.id);
    assert.deepEqual(fetched, created);
    // Pages of 2 on the shared mock: three files span two pages.
    const ids = (await allFiles(replicate)).map((file) => file.id);
    for (const file of [created, named, typed]) assert.ok(ids.includes(file.id), `${file.id} is listed`);

    for (const file of [created, named, typed]) assert.equal(await replicate.files.delete(file.id), true);
    await assert.rejects(replicate.files.get(created.id), NotFoundError);
    const left = (await allFiles(replicate)).map((file) => file.id);
    assert.ok(!left.includes(created.id));
  });
});

describe("files in inputs", () => {
  test("a Buffer in the input is uploaded and the model receives the file's URL", async () => {
    const bytes = Buffer.from("bytes for the echo model");
    const before = new Set((await allFiles(replicate)).map((file) => file.id));
    const output = (await replicate.run("mock/echo", { input: { value: { doc: bytes, keep: 1 } } })) as {
      doc: string;
      keep: number;
    };
    assert.equal(output.keep, 1);
    const uploaded = (await allFiles(replicate)).filter((file) => !before.has(file.id));
    assert.equal(uploaded.length, 1);
    const [file] = uploaded;
    assert.ok(file);
    assert.equal(output.doc, file.urls.get, "the input held the uploaded file's URL");
    assert.equal(file.size, bytes.length);
    assert.equal(file.checksums.sha256, sha256(bytes));
  });

  test("Blobs and Uint8Arrays nested in arrays are uploaded too; other values are kept", async () => {
    const prediction = await replicate.predictions.create({
      model: "mock/echo",
      input: { value: [new Blob(["a"], { type: "text/plain" }), { deep: [new Uint8Array([7])] }, "text", 3, null] },
    });
    const value = prediction.input["value"] as [string, { deep: [string] }, string, number, null];
    assert.match(value[0], /\/v1\/files\/[a-z0-9]+$/);
    assert.match(value[1].deep[0], /\/v1\/files\/[a-z0-9]+$/);
    assert.deepEqual(value.slice(2), ["text", 3, null]);
    const text = await replicate.files.get(value[0].split("/").at(-1) ?? "");
    assert.equal(text.content_type, "text/plain");
  });

  test('fileEncodingStrategy "data-uri" inlines the bytes and uploads nothing', async () => {
    const { client, seen } = recordingClient({ fileEncodingStrategy: "data-uri" });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const output = (await client.run("mock/echo", { input: { value: { doc: bytes } } })) as { doc: FileOutput };
    assert.ok(!seen.some((r) => r.method === "POST" && new URL(r.url).pathname === "/v1/files"), "no upload");
    // A data: string is a file output by the prefix rule (echo's output schema says nothing).
    assert.ok(output.doc instanceof FileOutput);
    assert.equal(String(output.doc), `data:application/octet-stream;base64,${Buffer.from(bytes).toString("base64")}`);
    assert.deepEqual(new Uint8Array(await (await output.doc.blob()).arrayBuffer()), bytes);
  });

  test("a training's input files are uploaded", async () => {
    const trainer = await replicate.models.get("mock", "trainer");
    const versionId = trainer.latest_version?.id;
    assert.ok(versionId);
    const account = await replicate.accounts.current();
    const destination = await mock.api("POST", "/models", {
      owner: account.username,
      name: "tuned-with-files",
      visibility: "private",
      hardware: "cpu",
    });
    assert.ok([201, 409].includes(destination.status), await destination.clone().text());
    const training = await replicate.trainings.create("mock", "trainer", versionId, {
      destination: `${account.username}/tuned-with-files`,
      input: { steps: 1, train_data: Buffer.from("PK archive") },
    });
    assert.match(String(training.input["train_data"]), /\/v1\/files\/[a-z0-9]+$/);
  });
});

describe("file outputs", () => {
  test("sdxl's images are FileOutputs: lazy, String() is the URL, blob() is a PNG", async () => {
    const { client, seen } = recordingClient();
    const output = (await client.run(SDXL, { input: SMALL, wait: { mode: "poll" } })) as FileOutput[];
    assert.equal(output.length, 1);
    const [image] = output;
    assert.ok(image instanceof FileOutput);
    assert.ok(image instanceof ReadableStream);
    // The mock serves http:// URLs: the output schema (`format: uri`) decides, not the prefix.
    assert.match(String(image), /^http:\/\/127\.0\.0\.1:\d+\/delivery\/.+\.png$/);
    assert.equal(`${image}`, image.url().href);
    assert.equal(JSON.stringify(output), JSON.stringify([String(image)]));
    assert.ok(!seen.some((r) => r.url === String(image)), "nothing downloaded before a read");

    const blob = await image.blob();
    assert.equal(blob.type, "image/png");
    const bytes = new Uint8Array(await blob.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_MAGIC);
    // The stream gives the same bytes.
    const chunks: Uint8Array[] = [];
    for await (const chunk of image) chunks.push(chunk);
    assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), bytes);
  });

  test("a Prefer: wait run returns data: URIs, decoded without a download", async () => {
    const { client, seen } = recordingClient();
    const output = (await client.run(SDXL, { input: SMALL })) as FileOutput[];
    const [image] = output;
    assert.ok(image instanceof FileOutput);
    assert.ok(String(image).startsWith("data:image/png;base64,"));
    const requests = seen.length;
    const bytes = new Uint8Array(await (await image.blob()).arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_MAGIC);
    assert.equal(seen.length, requests);
  });

  test("the token goes to the API's origin only, never to another host's file", async () => {
    const { client, seen } = recordingClient();
    const url = "https://files.example.com/outputs/cat.png";
    const output = (await client.run("mock/echo", { input: { value: [url, "plain text"] } })) as [FileOutput, string];
    assert.ok(output[0] instanceof FileOutput, "an https: string is a file when no schema says otherwise");
    assert.equal(output[1], "plain text");
    const blob = await output[0].blob();
    assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())], PNG_MAGIC);

    const foreign = seen.filter((r) => r.url === url);
    assert.equal(foreign.length, 1);
    assert.equal(foreign[0]?.authorization, null);
    const api = seen.filter((r) => new URL(r.url).origin === new URL(mock.url).origin);
    assert.ok(api.length > 0 && api.every((r) => r.authorization === `Bearer ${mock.token}`));
  });

  test("useFileOutput: false gives plain strings (per client or per run)", async () => {
    const plain = mockClient(mock, { useFileOutput: false });
    const output = (await plain.run(SDXL, { input: SMALL })) as unknown[];
    assert.equal(typeof output[0], "string");
    assert.ok(String(output[0]).startsWith("data:image/png;base64,"));
    const perRun = (await replicate.run(SDXL, { input: SMALL, wait: { mode: "poll" }, useFileOutput: false })) as unknown[];
    assert.match(String(perRun[0]), /^http:\/\//);
    assert.equal(typeof perRun[0], "string");
  });

  test("stream({ useFileOutput: true }) wraps file output events by the schema; text stays text", async () => {
    const input = { ...SMALL, num_outputs: 2 };
    const files: unknown[] = [];
    for await (const event of replicate.stream(SDXL, { input, useFileOutput: true })) {
      if (event.event === "output") files.push(event.data);
    }
    assert.equal(files.length, 2);
    for (const file of files) {
      assert.ok(file instanceof FileOutput, String(file));
      // http:// URLs: the schema's `format: uri` made them files, not the prefix rule.
      assert.match(String(file), /^http:\/\//);
      const bytes = new Uint8Array(await (await file.blob()).arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 8)], PNG_MAGIC);
    }
    const plain: unknown[] = [];
    for await (const event of replicate.stream(SDXL, { input })) if (event.event === "output") plain.push(event.data);
    assert.ok(plain.length === 2 && plain.every((data) => typeof data === "string"), "off by default");
    let tokens = "";
    for await (const event of replicate.stream("meta/meta-llama-3-8b-instruct", {
      input: { prompt: "https://example.com", max_tokens: 4 },
      useFileOutput: true,
    })) {
      assert.ok(event.event !== "output" || typeof event.data === "string", "tokens typed string stay text");
      tokens += event;
    }
    assert.ok(tokens.length > 0);
  });

  test("a model whose schema says string keeps its output a string", async () => {
    const output = await replicate.run(
      "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
      { input: { text: "files" } },
    );
    assert.equal(output, "hello files");
  });
});
