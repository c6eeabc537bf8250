import { type Prediction, validateWebhook } from "replicate-kit";

// A Fetch-style handler (Node 20+, Deno, Bun, workers). `secret` comes from
// `await replicate.webhooks.default.secret.get()` (its `key`, "whsec_...").
export async function handleWebhook(request: Request, secret: string): Promise<Response> {
  // Checks the signature in constant time and refuses timestamps older than 5 minutes.
  if (!(await validateWebhook(request, secret))) {
    return new Response("invalid signature", { status: 401 });
  }
  const prediction = (await request.json()) as Prediction; // a type generated from the OpenAPI schema
  console.log(`prediction ${prediction.id} is ${prediction.status}`);
  return new Response(null, { status: 204 });
}
