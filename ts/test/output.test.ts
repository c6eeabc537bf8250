/** Pure parts of file handling: which outputs are files, data URIs, encoding input files, FileOutput laziness. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";

import {
  APIConnectionError,
  FileOutput,
  InternalServerError,
  MAX_DATA_URI_SIZE,
  UnprocessableEntityError,
  decodeDataUri,
} from "../src/index.js";
import { encodeFiles } from "../src/files.js";
import { outputSchema, transformOutput } from "../src/output.js";

const wrap = (url: string): string => `<${url}>`;

describe("which outputs are files", () => {
  test("without a schema: https: and data: strings, anywhere in arrays and objects", () => {
    const output = { a: "https://x/1.png", b: ["data:text/plain,hi", "http://x/2.png", "text"], c: 3 };
    assert.deepEqual(transformOutput(output, undefined, wrap), {
      a: "<https://x/1.png>",
      b: ["<data:text/plain,hi>", "http://x/2.png", "text"],
      c: 3,
    });
  });

  test("with a schema: format uri decides, so http:// files count and https:// text does not", () => {
    assert.equal(transformOutput("http://127.0.0.1/out.png", { type: "string", format: "uri" }, wrap), "<http://127.0.0.1/out.png>");
    assert.equal(transformOutput("https://example.com", { type: "string" }, wrap), "https://example.com");
    const iterator = { type: "array", items: { type: "string", format: "uri" }, "x-cog-array-type": "iterator" };
    assert.deepEqual(transformOutput(["http://h/a", "http://h/b"], iterator, wrap), ["<http://h/a>", "<http://h/b>"]);
    const nullable = { anyOf: [{ type: "string", format: "uri" }, { type: "null" }] };
    assert.equal(transformOutput("http://h/a", nullable, wrap), "<http://h/a>");
    const object = {
      type: "object",
      properties: { image: { type: "string", format: "uri" }, caption: { type: "string" } },
      additionalProperties: { type: "string", format: "uri" },
    };
    assert.deepEqual(transformOutput({ image: "http://h/i", caption: "https://not/a/file", extra: "http://h/e" }, object, wrap), {
      image: "<http://h/i>",
      caption: "https://not/a/file",
      extra: "<http://h/e>",
    });
  });

  test("the output schema is read from a Cog document with $refs resolved", () => {
    const document = {
      components: {
        schemas: {
          Output: { type: "array", items: { $ref: "#/components/schemas/File" } },
          File: { type: "string", format: "uri" },
        },
      },
    };
    assert.deepEqual(outputSchema(document), { type: "array", items: { type: "string", format: "uri" } });
    assert.equal(outputSchema({ components: {} }), undefined);
    assert.equal(outputSchema(null), undefined);
  });
});

describe("data URIs", () => {
  test("base64 and percent-encoded payloads", () => {
    assert.deepEqual(decodeDataUri("data:image/png;base64,iVBORw=="), { bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), type: "image/png" });
    assert.deepEqual(decodeDataUri("data:,a%20b%FF"), { bytes: Uint8Array.from([0x61, 0x20, 0x62, 0xff]), type: "text/plain" });
    assert.throws(() => decodeDataUri("data:text/plain"), /no comma/);
  });
});

describe("input files", () => {
  const failing = (error: Error) => async (): Promise<string> => {
    throw error;
  };

  test("an input without files is passed through untouched", async () => {
    const input = { text: "x", list: [1, { y: null }] };
    assert.equal(await encodeFiles(input, "default", failing(new Error("no upload expected"))), input);
  });

  test('"default" falls back to data URIs when the upload fails on a 5xx or the network, not on a 4xx', async () => {
    const input = { file: new Uint8Array([104, 105]) };
    const inline = { file: "data:application/octet-stream;base64,aGk=" };
    assert.deepEqual(await encodeFiles(input, "default", failing(new InternalServerError({ status: 503 }))), inline);
    const network = new APIConnectionError("down", { requestSent: false });
    assert.deepEqual(await encodeFiles(input, "default", failing(network)), inline);
    const invalid = new UnprocessableEntityError({ status: 422 });
    await assert.rejects(encodeFiles(input, "default", failing(invalid)), UnprocessableEntityError);
    await assert.rejects(encodeFiles(input, "upload", failing(network)), APIConnectionError);
  });

  test('"data-uri" keeps a Blob\'s type and refuses more than 10 MB in total', async () => {
    const encoded = await encodeFiles({ a: [new Blob(["hi"], { type: "text/plain" })] }, "data-uri", failing(new Error("no upload")));
    assert.deepEqual(encoded, { a: ["data:text/plain;base64,aGk="] });
    const half = new Uint8Array(MAX_DATA_URI_SIZE / 2 + 1);
    await assert.rejects(encodeFiles({ a: half, b: half }, "data-uri", failing(new Error("no upload"))), /exceeds 10mb/);
  });
});

describe("FileOutput", () => {
  test("constructing, printing and serialising never download", async () => {
    let downloads = 0;
    const file = new FileOutput("https://files.example.com/a.png", async () => {
      downloads++;
      return new Response("abc", { headers: { "content-type": "image/png" } });
    });
    assert.equal(String(file), "https://files.example.com/a.png");
    assert.equal(JSON.stringify({ file }), '{"file":"https://files.example.com/a.png"}');
    assert.equal(inspect(file), 'FileOutput("https://files.example.com/a.png")');
    assert.equal(file.url().hostname, "files.example.com");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(downloads, 0);
    assert.equal((await file.blob()).type, "image/png");
    assert.equal(await new Response(file).text(), "abc");
    assert.equal(downloads, 2);
  });
});
