/**
 * The mock server for a test file. `npm test` (scripts/run-tests.mjs) starts one
 * `replicate-mock serve --port 0` for the whole run and passes its URL in REPLICATE_MOCK_URL;
 * files share it with a token of their own (every token is its own account on the mock). A file
 * that changes global state (injected faults) asks for an isolated server, started here and
 * stopped in its `after` hook; so does any file run on its own. Children are killed if this
 * process exits abruptly.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Replicate, type ReplicateOptions } from "../src/index.js";

/** The repository root (these tests also run compiled from ts/dist/, so search upwards). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "mock_server")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** Arguments of the shared server (scripts/run-tests.mjs uses the same): small pages to exercise pagination, a real clock at 10x so models finish quickly. */
export const SHARED_ARGS = ["--page-size", "2", "--speed", "10"];

export interface Mock {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/v1` */
  apiUrl: string;
  /** A token of its own: the mock gives every token its own account. */
  token: string;
  /** Call the mock's control API (`/_mock/...`). */
  control: (method: string, path: string, body?: unknown) => Promise<unknown>;
  /** Raw API call with this mock's token. */
  api: (method: string, path: string, body?: unknown) => Promise<Response>;
  stop: () => Promise<void>;
}

function mockCommand(): string {
  const fromEnv = process.env["REPLICATE_MOCK_BIN"];
  if (fromEnv) return fromEnv;
  const local = join(REPO_ROOT, ".venv", "bin", "replicate-mock");
  return existsSync(local) ? local : "replicate-mock";
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** `args` (for an isolated server) replace SHARED_ARGS. */
export async function startMock(token: string, options: { isolated?: boolean; args?: string[] } = {}): Promise<Mock> {
  const shared = process.env["REPLICATE_MOCK_URL"];
  if (shared && !options.isolated && !options.args) return handle(shared.replace(/\/v1\/?$/, ""), token, async () => undefined);
  const child = spawn(mockCommand(), ["serve", "--port", "0", ...(options.args ?? SHARED_ARGS)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`replicate-mock did not start within 20 s\n${out}${err}`)), 20_000);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /serving (http:\/\/\S+?)\/v1\b/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`replicate-mock exited with ${code} before serving\n${out}${err}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };
  return handle(url, token, stop);
}

function handle(url: string, token: string, stop: () => Promise<void>): Mock {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const request = (method: string, path: string, body: unknown, auth: boolean): Promise<Response> => {
    const init: RequestInit = { method, headers: auth ? headers : { "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(url + path, init);
  };
  return {
    url,
    apiUrl: `${url}/v1`,
    token,
    control: async (method, path, body) => {
      const response = await request(method, `/_mock${path}`, body, false);
      const text = await response.text();
      if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    api: (method, path, body) => request(method, `/v1${path}`, body, true),
    stop,
  };
}

/** True when the mock does not serve `method path` yet (its 404 says "No route matches", or 405). */
export async function routeMissing(mock: Mock, method: string, path: string, body?: unknown): Promise<boolean> {
  const response = await mock.api(method, path, body);
  const text = await response.text();
  return (response.status === 404 && text.includes("No route matches")) || response.status === 405;
}

/** A client of `mock` with its token and a short poll interval; `options` add to or override those. */
export function mockClient(mock: Mock, options: ReplicateOptions = {}): Replicate {
  return new Replicate({ auth: mock.token, baseUrl: mock.url, pollInterval: 50, ...options });
}
