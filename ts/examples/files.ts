import Replicate, { type FileOutput } from "replicate-kit";

const replicate = new Replicate();

// Files a model produces come back as FileOutput objects: nothing is downloaded until you read one.
const [image] = (await replicate.run(
  "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
  { input: { prompt: "An astronaut riding a rainbow unicorn", width: 768, height: 768 } },
)) as FileOutput[];
if (!image) throw new Error("no image");
console.log(image.url().protocol); // "https:" ("data:" for an output sent inline)
const png = await image.blob(); // or stream the bytes: `for await (const chunk of image) ...`
console.log(png.type, png.size); // "image/png <size>"

// Files in an input (Blob, File, Buffer, Uint8Array) are uploaded with `files.create` and the
// model receives their URLs; `new Replicate({ fileEncodingStrategy: "data-uri" })` inlines them.
const upload = await replicate.files.create(Buffer.from("some bytes"), { purpose: "readme" });
console.log(upload.size, upload.content_type); // 10 "application/octet-stream"
await replicate.files.delete(upload.id);
