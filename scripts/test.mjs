#!/usr/bin/env node
// `npm test`: type-check, run the vitest suite, then print the closing line CI reads: "vitest: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const bin = (name) => `node_modules/.bin/${name}`;
const extra = process.argv.slice(2);

const tsc = spawnSync(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"], { stdio: "inherit" });
if (tsc.status !== 0) {
  console.log("typecheck: 0 passed, 1 failed");
  process.exit(tsc.status ?? 1);
}

mkdirSync("out", { recursive: true });
const report = "out/vitest.json";
rmSync(report, { force: true });
const run = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra], {
  stdio: "inherit",
  env: { ...process.env, NO_COLOR: "1" },
});
if (!existsSync(report)) {
  console.log("vitest: 0 passed, 1 failed");
  process.exit(run.status || 1);
}
const r = JSON.parse(readFileSync(report, "utf8"));
const failed = r.numFailedTests + (r.numFailedTestSuites ?? 0);
console.log(`vitest: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
process.exit(run.status ?? (failed > 0 ? 1 : 0));
