/**
 * Fault injection for the run store, loaded with `--import` before the CLI: every file operation of the run store
 * (write, append, rename, mkdir) is counted, and operation QUIRKLAB_TEST_KILL_AT kills the process with SIGKILL: a
 * write or append after writing half its bytes (a torn file), a rename or mkdir before it happens.
 * QUIRKLAB_TEST_COUNT_TO names a file that receives the number of operations when the process exits.
 */
import { writeFileSync } from "node:fs";
import { currentFileSystem, useFileSystem } from "../../src/store/files.js";

const killAt = Number(process.env.QUIRKLAB_TEST_KILL_AT ?? 0);
const countTo = process.env.QUIRKLAB_TEST_COUNT_TO;
const real = currentFileSystem();
let operations = 0;

function step(partial?: () => void): void {
  operations++;
  if (operations !== killAt) return;
  partial?.();
  process.kill(process.pid, "SIGKILL");
}

const half = (data: Uint8Array | string) => (typeof data === "string" ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));

useFileSystem({
  writeFileSync(path, data) {
    step(() => real.writeFileSync(path, half(data)));
    real.writeFileSync(path, data);
  },
  appendFileSync(path, data) {
    step(() => real.appendFileSync(path, half(data) as string));
    real.appendFileSync(path, data);
  },
  renameSync(from, to) {
    step();
    real.renameSync(from, to);
  },
  mkdirSync(path) {
    step();
    real.mkdirSync(path);
  },
});

if (countTo) process.on("exit", () => writeFileSync(countTo, String(operations)));
