#!/usr/bin/env node
// `npm test --workspace ts`: build with tsc, type-check tests + examples + the generated protobuf
// types, then run the node:test files (each starts and stops its own mock server). The whole run
// is bounded: past the deadline every process this script started (test workers and the mock
// servers they spawned, all in one process group) is killed and the run fails.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(here, "..", "node_modules", ".bin", name);
const deadlineMs = Number(process.env.TS_TEST_DEADLINE_MS ?? 30_000);
const started = Date.now();

function run(label, command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: here, stdio: "inherit", detached: true });
    const remaining = deadlineMs - (Date.now() - started);
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      console.error(`ts tests: ${label} exceeded the ${deadlineMs / 1000} s budget; stopping it`);
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), 2_000).unref();
    }, Math.max(remaining, 1));
    const forward = (signal) => killGroup(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", forward).off("SIGTERM", forward);
      // Anything left in the group (a mock whose test worker died) goes too.
      killGroup("SIGKILL");
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const tests = readdirSync(join(here, "test"))
  .filter((name) => name.endsWith(".test.ts"))
  .sort()
  .map((name) => join("test", name));

const tapDir = mkdtempSync(join(tmpdir(), "ts-tests-"));
const tapFile = join(tapDir, "report.tap");
const steps = [
  ["build", bin("tsc"), ["-p", "tsconfig.json"]],
  ["typecheck", bin("tsc"), ["-p", "tsconfig.test.json"]],
  [
    "node:test",
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tapFile}`,
      ...tests,
    ],
  ],
];
for (const [label, command, args] of steps) {
  const code = await run(label, command, args);
  if (code !== 0) {
    console.error(`ts tests: ${label} failed (exit ${code})`);
    process.exit(code);
  }
}
// One plain closing line with the counts, read from the TAP copy of the report.
const tap = readFileSync(tapFile, "utf8");
rmSync(tapDir, { recursive: true, force: true });
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`typescript: ${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped (${seconds} s)`);
