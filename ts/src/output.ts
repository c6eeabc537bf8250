/**
 * Which values of a model's output are files. The same rule as the Python facade
 * (replicate_kit/_output.py): where the version's output schema is known, strings typed
 * `format: uri` are files (so a local server's `http://` URLs are too) and strings typed otherwise
 * are not; where the schema says nothing, the official client's rule applies: `https:` and `data:`
 * strings are files. Pure.
 */

type Schema = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `components.schemas.Output` of a version's Cog OpenAPI document, `$ref`s resolved; undefined if absent. */
export function outputSchema(openapiSchema: unknown): Schema | undefined {
  if (!isRecord(openapiSchema)) return undefined;
  const components = openapiSchema["components"];
  const schemas = isRecord(components) ? components["schemas"] : undefined;
  if (!isRecord(schemas)) return undefined;
  const output = schemas["Output"];
  if (!isRecord(output)) return undefined;
  return resolve(output, schemas, 0) as Schema;
}

function resolve(node: unknown, schemas: Schema, depth: number): unknown {
  if (depth > 20) return node;
  if (Array.isArray(node)) return node.map((item) => resolve(item, schemas, depth + 1));
  if (!isRecord(node)) return node;
  const ref = node["$ref"];
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const target = schemas[ref.slice("#/components/schemas/".length)];
    if (isRecord(target)) {
      const { $ref: _ignored, ...rest } = node;
      return resolve({ ...target, ...rest }, schemas, depth + 1);
    }
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, schemas, depth + 1)]));
}

/** Fallback rule when no schema is known: `https:` and `data:` strings are files. */
function looksLikeFile(value: string): boolean {
  return value.startsWith("https:") || value.startsWith("data:");
}

function isUri(schema: unknown): boolean {
  return isRecord(schema) && schema["format"] === "uri";
}

function variants(schema: Schema): unknown[] {
  return ["allOf", "anyOf", "oneOf"].flatMap((key) => {
    const options = schema[key];
    return Array.isArray(options) ? options : [];
  });
}

/** Plain JSON objects only: class instances (a `FileOutput`, a `Date`, a `Blob`) are leaves. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** `value` with every file URL replaced by `wrap(url)`; `schema` is the output schema, if known. */
export function transformOutput<T>(value: unknown, schema: Schema | undefined, wrap: (url: string) => T): unknown {
  const walk = (node: unknown, given: unknown): unknown => {
    let sch = isRecord(given) ? given : undefined;
    if (sch !== undefined && !isUri(sch) && variants(sch).some(isUri)) sch = { format: "uri" };
    if (typeof node === "string") {
      if (sch !== undefined && (isUri(sch) || sch["type"] === "string")) return isUri(sch) ? wrap(node) : node;
      return looksLikeFile(node) ? wrap(node) : node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, sch?.["items"]));
    if (isPlainObject(node)) {
      const props = sch?.["properties"];
      const extra = sch?.["additionalProperties"];
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [
          key,
          walk(item, isRecord(props) && Object.hasOwn(props, key) ? props[key] : extra),
        ]),
      );
    }
    return node;
  };
  return walk(value, schema);
}

/** True when a string (so possibly a file) appears anywhere in `value`. */
export function containsString(value: unknown): boolean {
  if (typeof value === "string") return true;
  if (Array.isArray(value)) return value.some(containsString);
  return isPlainObject(value) && Object.values(value).some(containsString);
}

/** The schema of one element of an array (or iterator) output; undefined if there is none. */
export function itemSchema(schema: Schema | undefined): Schema | undefined {
  const items = schema?.["items"];
  return isRecord(items) ? items : undefined;
}
