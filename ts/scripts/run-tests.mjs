#!/usr/bin/env node
// `npm test --workspace ts`: one tsc pass type-checks and compiles the client, its tests, the
// README example and the generated protobuf types; node:test then runs the compiled tests against
// a `replicate-mock serve --port 0` started here (and files that need their own start one).
// The whole run is bounded: past the deadline every process started here (tsc, test workers and
// the mock servers, each step in its own process group) is killed and the run fails. The shared
// mock is stopped whatever happens.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(here, "..");
const deadlineMs = Number(process.env.TS_TEST_DEADLINE_MS ?? 120_000);
const started = Date.now();
const groups = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopAll(signal) {
  for (const child of groups) killGroup(child, signal);
}

let timedOut = false;
const overall = setTimeout(() => {
  timedOut = true;
  console.error(`ts tests: over the ${deadlineMs / 1000} s budget; stopping`);
  stopAll("SIGTERM");
  setTimeout(() => {
    stopAll("SIGKILL");
    process.exit(124);
  }, 2_000).unref();
}, deadlineMs);
overall.unref();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll("SIGKILL");
    process.exit(130);
  });
}
process.on("exit", () => stopAll("SIGKILL"));

function start(command, args, options = {}) {
  const child = spawn(command, args, { cwd: here, detached: true, stdio: "inherit", ...options });
  groups.add(child);
  child.on("exit", () => {
    // Anything left in the group (say a mock whose test worker died) goes too.
    killGroup(child, "SIGKILL");
    groups.delete(child);
  });
  return child;
}

function finished(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function startMock() {
  const local = join(root, ".venv", "bin", "replicate-mock");
  const command = process.env.REPLICATE_MOCK_BIN ?? (existsSync(local) ? local : "replicate-mock");
  // Same arguments as SHARED_ARGS in test/mock.ts.
  const child = start(command, ["serve", "--port", "0", "--page-size", "2", "--speed", "10"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      const match = /serving (http:\/\/\S+?\/v1)\b/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`replicate-mock exited (${code}) before serving:\n${out}`)));
  });
  return { child, url };
}

async function stopMock(child) {
  if (child.exitCode !== null) return;
  const exited = finished(child);
  killGroup(child, "SIGTERM");
  const force = setTimeout(() => killGroup(child, "SIGKILL"), 3_000);
  await exited;
  clearTimeout(force);
}

const tapDir = mkdtempSync(join(tmpdir(), "ts-tests-"));
const tapFile = join(tapDir, "report.tap");
let exitCode = 0;
// The mock boots while tsc compiles.
const mock = startMock();
try {
  const compiled = await finished(start(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.test.json"]));
  if (compiled !== 0) throw new Error(`tsc failed (exit ${compiled})`);
  const compiledAt = Date.now();
  const mockUrl = await mock.url;
  const testDir = join(here, "dist", "ts", "test");
  const tests = readdirSync(join(here, "test"))
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => join(testDir, name.replace(/\.ts$/, ".js")));
  const reporters = ["--test-reporter=spec", "--test-reporter-destination=stdout"];
  reporters.push("--test-reporter=tap", `--test-reporter-destination=${tapFile}`);
  const testRun = start(process.execPath, ["--test", ...reporters, ...tests], {
    env: { ...process.env, REPLICATE_MOCK_URL: mockUrl },
  });
  exitCode = await finished(testRun);
  if (timedOut) throw new Error("the tests did not finish within the budget");
  const tap = existsSync(tapFile) ? readFileSync(tapFile, "utf8") : "";
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  const secs = (from, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`;
  console.log(`ts tests: ${secs(started)} (tsc ${secs(started, compiledAt)}, tests ${secs(compiledAt)})`);
  // The closing line: the counts alone, in the plain form CI summaries read.
  console.log(`typescript: ${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped`);
} catch (error) {
  console.error(`ts tests: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await stopMock(mock.child);
  rmSync(tapDir, { recursive: true, force: true });
}
process.exit(exitCode);
