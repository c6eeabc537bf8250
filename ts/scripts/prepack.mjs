#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): build the package from a clean dist/ and put the
// repository's LICENSE next to package.json, where npm takes it from. The test build writes its
// tests and the generated protobuf code into dist/ too; cleaning first keeps them out of the
// tarball. postpack removes the copied LICENSE (the root file is the only one kept in git).
import { spawnSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const license = join(here, "LICENSE");

if (process.argv[2] === "post") {
  rmSync(license, { force: true });
} else {
  rmSync(join(here, "dist"), { recursive: true, force: true });
  copyFileSync(join(here, "..", "LICENSE"), license);
  const tsc = join(here, "..", "node_modules", "typescript", "bin", "tsc");
  const built = spawnSync(process.execPath, [tsc, "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
  if (built.status !== 0) {
    rmSync(license, { force: true });
    process.exit(built.status ?? 1);
  }
}
