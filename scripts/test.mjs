#!/usr/bin/env node
// `npm test`: type-check, then the vitest suite once per backend — native (when the kernel pack is built) and
// wasm — and one closing line CI reads: "vitest: N passed, N failed, N skipped" summed over both runs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const bin = (name) => `node_modules/.bin/${name}`;
const extra = process.argv.slice(2);

const tsc = spawnSync(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"], { stdio: "inherit" });
if (tsc.status !== 0) {
  console.log("typecheck: 0 passed, 1 failed");
  process.exit(tsc.status ?? 1);
}

const nativeBuilt = existsSync("native/build/Release/quirklab_native.node");
const backends = process.env.QUIRKLAB_TEST_BACKEND ? [process.env.QUIRKLAB_TEST_BACKEND] : nativeBuilt ? ["native", "wasm"] : ["wasm"];
if (!nativeBuilt) console.log("note: the native kernel pack is not built (npm run build:native); testing on wasm only");

mkdirSync("out", { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const [pass, backend] of backends.entries()) {
  const report = `out/vitest-${backend}.json`;
  rmSync(report, { force: true });
  console.log(`\n=== test suite on the ${backend} backend ===`);
  const run = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra], {
    stdio: "inherit",
    // tests that never touch tfjs skip themselves on a second pass (test/backend.ts repeatPass).
    // vitest runs two files at a time: one native thread each keeps two thread pools from spinning against each other
    // on two cores (measured on four heavy files: 110 s instead of 128 s). The kernel tests set 1 and 2 threads
    // themselves, so the threaded paths are still tested.
    env: {
      ...process.env,
      NO_COLOR: "1",
      QUIRKLAB_TEST_BACKEND: backend,
      QUIRKLAB_TEST_REPEAT: pass > 0 ? "1" : "0",
      ...(backend === "native" && !process.env.QUIRKLAB_THREADS ? { QUIRKLAB_THREADS: "1" } : {}),
    },
  });
  if (!existsSync(report)) {
    totals.failed += 1;
    status = run.status || 1;
    continue;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
  totals.skipped += r.numPendingTests + r.numTodoTests;
  console.log(`${backend}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (run.status) status = run.status;
}
console.log(`vitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status || (totals.failed > 0 ? 1 : 0));
