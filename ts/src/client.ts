/**
 * `Replicate`: the client. Calls are typed by the generated OpenAPI types through openapi-fetch;
 * sending, retries and errors are `Transport`'s job; this module adds the flows (run, wait,
 * stream, paginate) and the resource namespaces, named like the official npm client's.
 */
import createClient, { type Client } from "openapi-fetch";

import { APITimeoutError, ModelError, ReplicateException, withPredictionId } from "./errors.js";
import { FileOutput } from "./file-output.js";
import { type FileEncodingStrategy, type FileInput, encodeFiles, toBlob } from "./files.js";
import { type FetchLike, Transport, abortableSleep } from "./http.js";
import { containsString, itemSchema, outputSchema, transformOutput } from "./output.js";
import { isVersionId, normalizeBaseUrl, parseRef } from "./refs.js";
import { type Created, Reconciler, type Target } from "./reconcile.js";
import { RetryPolicy, type RetryOptions } from "./retry.js";
import { ServerSentEvent, eventStream } from "./stream.js";
import {
  type Account,
  type FileObject,
  type FilePage,
  type FileUploadForm,
  type Model,
  type ModelPage,
  type Page,
  type Prediction,
  type PredictionPage,
  type Training,
  type TrainingPage,
  type WebhookEventType,
  type WebhookSigningSecret,
  isTerminal,
  type paths,
} from "./types.js";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "https://api.replicate.com/v1";

export interface ReplicateOptions {
  /** API token; defaults to `process.env.REPLICATE_API_TOKEN`. */
  auth?: string;
  /** API root (`https://host` or `https://host/v1`); defaults to `REPLICATE_BASE_URL` or the public API. */
  baseUrl?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: (input: Request) => Promise<Response>;
  userAgent?: string;
  /** Retries after the first attempt of a call (default 4); see `retry` for the full policy. */
  maxRetries?: number;
  /**
   * Retry policy: budget (`maxRetries`, `maxRetryTime`), backoff, and `reconcile` (how a create
   * whose outcome is unknown is resolved; `false` turns it off). Each operation's retry class
   * comes from the spec's `x-retry`.
   */
  retry?: RetryOptions | RetryPolicy;
  /** Per-attempt timeout in milliseconds (default 60 000). */
  timeout?: number;
  /** Milliseconds between polls in `wait` (default: `REPLICATE_POLL_INTERVAL` seconds, else 500). */
  pollInterval?: number;
  /**
   * How files (`Blob`, `File`, `Buffer`, typed arrays) in an input are sent: `"default"` uploads them
   * through `files.create` and passes their URLs (falling back to data URIs if the upload fails
   * other than with a 4xx), `"upload"` only uploads, `"data-uri"` inlines them as `data:` URIs.
   */
  fileEncodingStrategy?: FileEncodingStrategy;
  /** `run` returns file outputs as `FileOutput` objects (default `true`); `false` gives plain URL strings. */
  useFileOutput?: boolean;
}

/** `true` holds the create request up to 60 s (`Prefer: wait`), a number up to that many seconds. */
export type WaitPreference = boolean | number;

export interface WebhookOptions {
  webhook?: string;
  webhook_events_filter?: WebhookEventType[];
}

export interface CreatePredictionOptions extends WebhookOptions {
  input: Record<string, unknown>;
  /** A version id, or `owner/name:version`. Give either this or `model`. */
  version?: string;
  /** `owner/name` of an official model (routes to `POST /models/{owner}/{name}/predictions`). */
  model?: string;
  wait?: WaitPreference;
  /** Maximum lifetime, e.g. `"5m"` (`Cancel-After`). */
  cancelAfter?: string;
  /** Deprecated by the API (streams are always offered); still accepted. */
  stream?: boolean;
  signal?: AbortSignal;
}

export interface RunOptions extends WebhookOptions {
  input?: Record<string, unknown>;
  /** How to wait: hold the create request (default `true`), or `{ mode: "poll" }` to poll only. */
  wait?: WaitPreference | { mode: "block"; timeout?: number; interval?: number } | { mode: "poll"; interval?: number };
  cancelAfter?: string;
  /** Aborting stops waiting and cancels the prediction. */
  signal?: AbortSignal;
  /** Overrides the client's `useFileOutput` for this run. */
  useFileOutput?: boolean;
}

export interface StreamOptions extends WebhookOptions {
  input?: Record<string, unknown>;
  cancelAfter?: string;
  signal?: AbortSignal;
  /**
   * `output` events that are files get a `FileOutput` as `data`, by the rule `run` uses (default
   * `false`: data stays text, so a token is never taken for a file).
   */
  useFileOutput?: boolean;
  /**
   * Milliseconds without a byte from the server (keep-alive comments count) after which the
   * stream is reopened with `Last-Event-ID`; default the client's `timeout`, at least 30 000
   * (servers send keep-alives every 15 s). 0 waits forever.
   */
  idleTimeout?: number;
}

/** Options of the `list` methods. */
export interface ListOptions {
  /** The page to read: a page's `next` (or `previous`) URL; the first page by default. */
  cursor?: string | null | undefined;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Milliseconds between polls. */
  interval?: number;
  /** Give up after this many milliseconds (an `APITimeoutError`; the prediction keeps running). */
  timeout?: number;
  signal?: AbortSignal;
}

type Api = Client<paths>;

export class Replicate {
  // A private field: `console.log(replicate)` and `JSON.stringify(replicate)` never show the token.
  readonly #auth: string | undefined;
  readonly baseUrl: string;
  readonly pollInterval: number;
  readonly fileEncodingStrategy: FileEncodingStrategy;
  readonly useFileOutput: boolean;
  /** Per-attempt timeout, milliseconds. */
  readonly timeoutMs: number;
  private readonly transport: Transport;
  private readonly reconciler: Reconciler;
  private readonly api: Api;
  /** Version id -> its output schema (`null`: none readable). Versions never change. */
  private readonly outputSchemas = new Map<string, Record<string, unknown> | null>();

  readonly predictions: {
    create: (options: CreatePredictionOptions) => Promise<Prediction>;
    get: (id: string, options?: { signal?: AbortSignal }) => Promise<Prediction>;
    list: (options?: ListOptions) => Promise<PredictionPage>;
    cancel: (id: string) => Promise<Prediction>;
  };
  readonly models: {
    get: (owner: string, name: string) => Promise<Model>;
    list: (options?: ListOptions) => Promise<ModelPage>;
  };
  readonly deployments: {
    predictions: {
      create: (
        owner: string,
        name: string,
        options: Omit<CreatePredictionOptions, "version" | "model">,
      ) => Promise<Prediction>;
    };
  };
  readonly trainings: {
    create: (
      owner: string,
      name: string,
      versionId: string,
      options: WebhookOptions & { destination: string; input: Record<string, unknown> },
    ) => Promise<Training>;
    get: (id: string) => Promise<Training>;
    list: (options?: ListOptions) => Promise<TrainingPage>;
    cancel: (id: string) => Promise<Training>;
  };
  readonly files: {
    create: (
      file: FileInput,
      metadata?: Record<string, unknown>,
      options?: { signal?: AbortSignal; filename?: string; contentType?: string },
    ) => Promise<FileObject>;
    get: (id: string, options?: { signal?: AbortSignal }) => Promise<FileObject>;
    list: (options?: ListOptions) => Promise<FilePage>;
    /** Resolves `true` once deleted (HTTP 204), as in the official client. */
    delete: (id: string, options?: { signal?: AbortSignal }) => Promise<boolean>;
  };
  readonly accounts: { current: () => Promise<Account> };
  readonly webhooks: { default: { secret: { get: () => Promise<WebhookSigningSecret> } } };

  constructor(options: ReplicateOptions = {}) {
    const env = typeof process === "undefined" ? {} : process.env;
    // Empty variables (say `REPLICATE_BASE_URL=` in a .env file) count as unset, as in the Python client.
    this.#auth = options.auth ?? (env["REPLICATE_API_TOKEN"] || undefined);
    this.baseUrl = normalizeBaseUrl(options.baseUrl || env["REPLICATE_BASE_URL"] || DEFAULT_BASE_URL);
    const envPoll = Number(env["REPLICATE_POLL_INTERVAL"]);
    this.pollInterval = options.pollInterval ?? (envPoll > 0 ? envPoll * 1000 : 500);
    const retry =
      options.retry instanceof RetryPolicy
        ? options.retry
        : new RetryPolicy({ ...options.retry, ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }) });
    this.timeoutMs = options.timeout ?? 60_000;
    this.fileEncodingStrategy = options.fileEncodingStrategy ?? "default";
    this.useFileOutput = options.useFileOutput !== false;
    // Called as a plain function: a platform fetch refuses to run with another `this` ("Illegal invocation").
    const userFetch = options.fetch;
    const fetchImpl: FetchLike = userFetch ? (request) => userFetch(request) : (request) => globalThis.fetch(request);
    this.transport = new Transport({
      auth: this.#auth,
      baseUrl: this.baseUrl,
      fetch: fetchImpl,
      retry,
      timeoutMs: this.timeoutMs,
      userAgent: options.userAgent ?? `replicate-kit-ts/${VERSION}`,
    });
    this.reconciler = new Reconciler(retry);
    // The transport gives every request its operation's retry class (from the spec's `x-retry`).
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: this.transport.fetcher() });

    this.predictions = {
      create: (o) => this.createPrediction(o),
      get: async (id, o = {}) =>
        expect(await this.api.GET("/predictions/{prediction_id}", { params: { path: { prediction_id: id } }, ...signalOf(o.signal) })),
      list: async (o = {}) => o.cursor ? this.page(o.cursor, o.signal) : expect(await this.api.GET("/predictions", signalOf(o.signal))),
      cancel: async (id) =>
        expect(await this.api.POST("/predictions/{prediction_id}/cancel", { params: { path: { prediction_id: id } } })),
    };
    this.models = {
      get: async (owner, name) =>
        expect(await this.api.GET("/models/{model_owner}/{model_name}", { params: { path: { model_owner: owner, model_name: name } } })),
      list: async (o = {}) => o.cursor ? this.page(o.cursor, o.signal) : expect(await this.api.GET("/models", signalOf(o.signal))),
    };
    this.deployments = {
      predictions: {
        create: async (owner, name, o) => {
          const body = await this.predictionBody(o);
          return this.reconciled("predictions", { input: body.input, deployment: `${owner}/${name}` }, o, (fetch) =>
            this.api.POST("/deployments/{deployment_owner}/{deployment_name}/predictions", {
              params: { path: { deployment_owner: owner, deployment_name: name }, header: createHeaders(o) },
              body,
              fetch,
              ...signalOf(o.signal),
            }),
          );
        },
      },
    };
    this.trainings = {
      create: async (owner, name, versionId, o) => {
        const body = {
          destination: o.destination,
          input: await this.encodeInput(o.input),
          ...(o.webhook === undefined ? {} : { webhook: o.webhook }),
          ...(o.webhook_events_filter === undefined ? {} : { webhook_events_filter: o.webhook_events_filter }),
        };
        const target = { input: body.input, model: `${owner}/${name}`, version: versionId };
        return this.reconciled("trainings", target, {}, (fetch) =>
          this.api.POST("/models/{model_owner}/{model_name}/versions/{version_id}/trainings", {
            params: { path: { model_owner: owner, model_name: name, version_id: versionId } },
            body,
            fetch,
          }),
        );
      },
      get: async (id) => expect(await this.api.GET("/trainings/{training_id}", { params: { path: { training_id: id } } })),
      list: async (o = {}) => o.cursor ? this.page(o.cursor, o.signal) : expect(await this.api.GET("/trainings", signalOf(o.signal))),
      cancel: async (id) =>
        expect(await this.api.POST("/trainings/{training_id}/cancel", { params: { path: { training_id: id } } })),
    };
    this.files = {
      create: (file, metadata, o) => this.createFile(file, metadata, o),
      get: async (id, o = {}) =>
        expect(await this.api.GET("/files/{file_id}", { params: { path: { file_id: id } }, ...signalOf(o.signal) })),
      list: async (o = {}) => o.cursor ? this.page(o.cursor, o.signal) : expect(await this.api.GET("/files", signalOf(o.signal))),
      delete: async (id, o = {}) => {
        const { response } = await this.api.DELETE("/files/{file_id}", { params: { path: { file_id: id } }, ...signalOf(o.signal) });
        return response.status === 204;
      },
    };
    this.accounts = { current: async () => expect(await this.api.GET("/account")) };
    this.webhooks = {
      default: { secret: { get: async () => expect(await this.api.GET("/webhooks/default/secret")) } },
    };
  }

  /** The API token in use (from `auth` or REPLICATE_API_TOKEN). */
  get auth(): string | undefined {
    return this.#auth;
  }

  /**
   * Run a model and return its output once the prediction is terminal. Throws `ModelError` if it
   * failed. Files in the output become `FileOutput`s (unless `useFileOutput` is false): strings the
   * version's output schema types `format: uri`, or, where no schema says, `https:`/`data:` strings.
   */
  async run(ref: string, options: RunOptions = {}, progress?: (prediction: Prediction) => void): Promise<unknown> {
    const { hold, interval } = waitMode(options.wait, this.pollInterval);
    let prediction = await this.createFromRef(ref, { ...options, input: options.input ?? {}, wait: hold });
    try {
      // `wait` hands over every non-terminal state it sees (the created one first); the final one follows.
      const report = (p: Prediction): boolean => {
        progress?.(p);
        return false;
      };
      prediction = await this.wait(prediction, { interval, ...signalOf(options.signal) }, report);
      progress?.(prediction);
    } catch (error) {
      if (options.signal?.aborted && !isTerminal(prediction.status)) {
        await this.predictions.cancel(prediction.id).catch(() => undefined);
      }
      throw withPredictionId(error, prediction.id);
    }
    if (prediction.status === "failed" || prediction.status === "aborted") throw new ModelError(prediction);
    if (!(options.useFileOutput ?? this.useFileOutput) || !containsString(prediction.output)) return prediction.output;
    const schema = await this.outputSchemaOf(ref, prediction, options.signal);
    return transformOutput(prediction.output, schema, (url) => this.fileOutput(url));
  }

  /** A `FileOutput` for `url`, downloaded through this client (the token only to the API's origin). */
  fileOutput(url: string): FileOutput {
    return new FileOutput(url, (target, signal) =>
      this.transport.send(new Request(target, signalOf(signal)), { streaming: true }),
    );
  }

  /**
   * The output schema of the version a prediction ran (cached per version), or undefined when it
   * cannot be known: then the `https:`/`data:` rule decides what is a file.
   */
  private async outputSchemaOf(
    ref: string,
    prediction: Prediction,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown> | undefined> {
    const parsed = parseRef(ref);
    const version = parsed.version ?? prediction.version;
    const [owner, name] = parsed.owner && parsed.name ? [parsed.owner, parsed.name] : (prediction.model ?? "").split("/");
    if (!owner || !name || typeof version !== "string" || !isVersionId(version)) return undefined;
    if (!this.outputSchemas.has(version)) {
      let schema: Record<string, unknown> | null = null;
      try {
        const found = await this.api.GET("/models/{model_owner}/{model_name}/versions/{version_id}", {
          params: { path: { model_owner: owner, model_name: name, version_id: version } },
          ...signalOf(signal),
        });
        schema = outputSchema(found.data?.openapi_schema) ?? null;
      } catch (error) {
        if (signal?.aborted) throw error;
        // An unreadable version leaves the prefix rule in charge.
      }
      this.outputSchemas.set(version, schema);
    }
    return this.outputSchemas.get(version) ?? undefined;
  }

  /**
   * Run a model and yield its server-sent events (`output`, `logs`, `done`) as they arrive;
   * `String(event)` is the text of an output event. A dropped or silent stream (see
   * `idleTimeout`) is resumed with `Last-Event-ID`.
   */
  stream(ref: string, options?: StreamOptions & { useFileOutput?: false | undefined }): AsyncGenerator<ServerSentEvent, void, undefined>;
  stream(ref: string, options: StreamOptions): AsyncGenerator<ServerSentEvent<string | FileOutput>, void, undefined>;
  async *stream(ref: string, options: StreamOptions = {}): AsyncGenerator<ServerSentEvent<string | FileOutput>, void, undefined> {
    const prediction = await this.createFromRef(ref, { ...options, input: options.input ?? {}, wait: false });
    const url = prediction.urls.stream;
    if (!url) throw new ReplicateException(`Model ${ref} does not support streaming (no urls.stream)`);
    const events = eventStream(this.transport, url, {
      signal: options.signal,
      idleTimeoutMs: options.idleTimeout ?? Math.max(this.timeoutMs, 30_000),
    });
    try {
      yield* this.streamEvents(ref, prediction, events, options);
    } catch (error) {
      throw withPredictionId(error, prediction.id);
    }
  }

  private async *streamEvents(
    ref: string,
    prediction: Prediction,
    events: AsyncGenerator<ServerSentEvent, void, undefined>,
    options: StreamOptions,
  ): AsyncGenerator<ServerSentEvent<string | FileOutput>, void, undefined> {
    if (!options.useFileOutput) {
      yield* events;
      return;
    }
    // An iterator output streams one item per event; any other output comes whole.
    const schema = await this.outputSchemaOf(ref, prediction, options.signal);
    const eventSchema = itemSchema(schema) ?? schema;
    for await (const event of events) {
      if (event.event !== "output") {
        yield event;
        continue;
      }
      const data = transformOutput(event.data, eventSchema, (url) => this.fileOutput(url)) as string | FileOutput;
      yield new ServerSentEvent(event.event, data, event.id);
    }
  }

  /** Poll a prediction (or training) until its status is terminal; returns the final object. */
  async wait<T extends { id: string; status: string; urls: { get: string } }>(
    prediction: T,
    options: WaitOptions = {},
    stop?: (prediction: T) => boolean | Promise<boolean>,
  ): Promise<T> {
    const interval = options.interval ?? this.pollInterval;
    const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout;
    let current = prediction;
    let atDeadline = false;
    while (!isTerminal(current.status)) {
      if (stop && (await stop(current))) return current;
      // The last sleep is cut short at the deadline, and one final poll sees the state there.
      // That poll is the last even when the timer fired a fraction of a millisecond before
      // performance.now() reached the deadline (Node rounds timers to whole milliseconds).
      const remaining = deadline === undefined ? interval : deadline - performance.now();
      if (atDeadline || remaining <= 0) {
        throw new APITimeoutError(`${current.id} is still ${current.status} after ${options.timeout} ms of waiting`, {
          requestSent: true,
        });
      }
      const pause = Math.min(interval, remaining);
      atDeadline = deadline !== undefined && pause === remaining;
      try {
        await abortableSleep(pause, options.signal);
        current = await this.getJson<T>(current.urls.get, options.signal);
      } catch (error) {
        throw withPredictionId(error, current.id);
      }
    }
    return current;
  }

  /**
   * Every page of a paginated list: `for await (const page of replicate.paginate(replicate.predictions.list))`.
   * `signal` stops it between pages and aborts a page being read.
   */
  async *paginate<T>(
    endpoint: () => Promise<Page<T>>,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<T[], void, undefined> {
    let page = await endpoint();
    yield page.results;
    while (page.next) {
      options.signal?.throwIfAborted();
      page = await this.page<Page<T>>(page.next, options.signal);
      yield page.results;
    }
  }

  /** The page at `cursor` (a `next`/`previous` URL, resolved against the API root). */
  private page<T>(cursor: string, signal?: AbortSignal): Promise<T> {
    return this.getJson<T>(new URL(cursor, `${this.baseUrl}/`).href, signal);
  }

  private async getJson<T>(url: string, signal?: AbortSignal, deadline?: number): Promise<T> {
    const request = new Request(url, { headers: { accept: "application/json" }, ...signalOf(signal) });
    const response = await this.transport.send(request, deadline === undefined ? {} : { deadline });
    return (await response.json()) as T;
  }

  private async createFile(
    file: FileInput,
    metadata: Record<string, unknown> = {},
    options: { signal?: AbortSignal; filename?: string; contentType?: string } = {},
  ): Promise<FileObject> {
    const { blob, filename } = await toBlob(file, options);
    const form = new FormData();
    form.append("content", blob, filename);
    form.append("filename", filename);
    form.append("type", blob.type || "application/octet-stream");
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    return expect(
      await this.api.POST("/files", {
        // The generated type describes the form's fields; the body sent is the FormData itself.
        body: form as unknown as FileUploadForm,
        bodySerializer: (body) => body as unknown as FormData,
        ...signalOf(options.signal),
      }),
    );
  }

  /** `input` with its files uploaded or inlined, per `fileEncodingStrategy`. */
  private encodeInput(input: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return encodeFiles(input, this.fileEncodingStrategy, async (file) => (await this.createFile(file, {}, signalOf(signal))).urls.get, signal);
  }

  private async predictionBody(options: Omit<CreatePredictionOptions, "version" | "model">): Promise<PredictionBody> {
    const body = predictionBody(options);
    return { ...body, input: await this.encodeInput(body.input, options.signal) };
  }

  private createFromRef(ref: string, options: CreatePredictionOptions): Promise<Prediction> {
    const parsed = parseRef(ref);
    if (parsed.version) return this.createPrediction({ ...options, version: parsed.version, model: undefined });
    return this.createPrediction({ ...options, model: `${parsed.owner}/${parsed.name}`, version: undefined });
  }

  private async createPrediction(options: CreatePredictionOptions): Promise<Prediction> {
    const header = createHeaders(options);
    if (options.model && options.version) throw new Error("Give either `model` or `version`, not both");
    if (options.model) {
      const ref = parseRef(options.model);
      if (!ref.owner || !ref.name) throw new Error(`Invalid model ${JSON.stringify(options.model)}: expected 'owner/name'`);
      if (ref.version) return this.createPrediction({ ...options, model: undefined, version: ref.version });
      const [owner, name] = [ref.owner, ref.name];
      const body = await this.predictionBody(options);
      return this.reconciled("predictions", { input: body.input, model: `${owner}/${name}` }, options, (fetch) =>
        this.api.POST("/models/{model_owner}/{model_name}/predictions", {
          params: { path: { model_owner: owner, model_name: name }, header },
          body,
          fetch,
          ...signalOf(options.signal),
        }),
      );
    }
    const version = options.version;
    if (!version) throw new Error("predictions.create needs `version` (or `model` for an official model)");
    const body = { version, ...(await this.predictionBody(options)) };
    return this.reconciled("predictions", { input: body.input, version }, options, (fetch) =>
      this.api.POST("/predictions", { params: { header }, body, fetch, ...signalOf(options.signal) }),
    );
  }

  /**
   * A create sent through the reconciler: `post` sends it once with the fetch it is given; when
   * its outcome is unknown the account's `collection` is searched for it (reconcile.ts).
   */
  private reconciled<T extends Created>(
    collection: "predictions" | "trainings",
    target: Target,
    options: { wait?: WaitPreference | undefined; signal?: AbortSignal | undefined },
    post: (fetch: FetchLike) => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T> {
    const timeoutMs = createTimeoutMs(holdSeconds(options.wait), this.timeoutMs);
    const signal = options.signal;
    const page = (url: string, deadline: number): Promise<Page<T>> =>
      this.getJson<Page<T>>(new URL(url, `${this.baseUrl}/`).href, signal, deadline);
    return this.reconciler.create<T>({
      target,
      send: async (deadline, budget) =>
        expect(await post(this.transport.fetcher({ deadline, budget, ...(timeoutMs === undefined ? {} : { timeoutMs }) }))),
      // Predictions filter by creation time on the server; trainings are cut off client-side.
      list: (since, deadline) =>
        page(collection === "predictions" ? `predictions?created_after=${encodeURIComponent(since.toISOString())}` : "trainings", deadline),
      next: page,
      sleep: (ms) => abortableSleep(ms, signal),
    });
  }
}

function expect<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new ReplicateException(`Unexpected empty response (HTTP ${result.response.status}) from ${new URL(result.response.url || "http://x/").pathname}`);
  }
  return result.data;
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

/**
 * The timeout of a create that asks the server to hold it `hold` seconds: it must outlast the hold
 * (or a slow success looks like a failure, and a create that timed out is never retried), and it
 * never shortens the client's own timeout.
 */
export function createTimeoutMs(hold: number | undefined, clientTimeoutMs: number): number | undefined {
  return hold === undefined ? undefined : Math.max((hold + 5) * 1000, clientTimeoutMs);
}

function holdSeconds(wait: WaitPreference | undefined): number | undefined {
  if (wait === true) return 60;
  if (typeof wait === "number" && wait > 0) return Math.min(Math.max(Math.ceil(wait), 1), 60);
  return undefined;
}

function createHeaders(options: { wait?: WaitPreference | undefined; cancelAfter?: string | undefined }): {
  Prefer?: string;
  "Cancel-After"?: string;
} {
  const headers: { Prefer?: string; "Cancel-After"?: string } = {};
  const hold = holdSeconds(options.wait);
  if (hold !== undefined) headers.Prefer = options.wait === true ? "wait" : `wait=${hold}`;
  if (options.cancelAfter) headers["Cancel-After"] = options.cancelAfter;
  return headers;
}

interface PredictionBody {
  input: Record<string, unknown>;
  webhook?: string;
  webhook_events_filter?: WebhookEventType[];
  stream?: boolean;
}

function predictionBody(options: Omit<CreatePredictionOptions, "version" | "model">): PredictionBody {
  if (options.input === null || typeof options.input !== "object" || Array.isArray(options.input)) {
    throw new TypeError("`input` must be an object of the model's inputs");
  }
  return {
    input: options.input,
    ...(options.webhook === undefined ? {} : { webhook: options.webhook }),
    ...(options.webhook_events_filter === undefined ? {} : { webhook_events_filter: options.webhook_events_filter }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
}

function waitMode(wait: RunOptions["wait"], pollInterval: number): { hold: WaitPreference; interval: number } {
  if (wait === undefined) return { hold: true, interval: pollInterval };
  if (typeof wait === "boolean" || typeof wait === "number") return { hold: wait, interval: pollInterval };
  if (wait.mode === "poll") return { hold: false, interval: wait.interval ?? pollInterval };
  return { hold: wait.timeout ?? true, interval: wait.interval ?? pollInterval };
}

