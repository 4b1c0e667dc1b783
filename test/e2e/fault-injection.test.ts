/**
 * The run store under SIGKILL: a run (its config, manifest, events, summary, model artifacts and report) is killed at
 * 20 of its file operations, drawn from a seeded stream. Every folder left behind is either complete or reads as
 * interrupted, nothing that was written whole is torn, and the same request then completes it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import type { BackendInfo } from "../../src/engine/backend.js";
import { Rng } from "../../src/core/rng.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { readRunSummary } from "../../src/store/summary-schema.js";
import { folderState } from "../../src/store/folders.js";
import { runningOwner } from "../../src/store/lock.js";
import { initTestBackend, repeatPass, testBackendChoice } from "../backend.js";

const tiny = ["data.trainSize=300", "data.testSize=200", "train.epochs=2", "model.hidden=[32]"];
const root = join(import.meta.dirname, "..", "..");
const KILL_POINTS = 20;

function runCli(runsDir: string, extraEnv: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const args = ["--import", "tsx", "--import", join(root, "test", "support", "kill-at-write.ts"), join(root, "src", "cli", "main.ts"), "run", "baseline", "--preset", "quick", ...tiny.flatMap((s) => ["--set", s]), "--runs-dir", runsDir, "--backend", testBackendChoice(), "--quiet"];
  const child = spawn(process.execPath, args, { env: { ...process.env, CI: "true", ...extraEnv }, stdio: "ignore" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
}

describe.skipIf(repeatPass)("fault injection: SIGKILL at 20 points of a run", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("every folder left behind is complete or reads as interrupted, and a rerun completes it", { timeout: 600_000 }, async () => {
    const countFile = join(mkdtempSync(join(tmpdir(), "quirklab-count-")), "count");
    const clean = await runCli(mkdtempSync(join(tmpdir(), "quirklab-clean-")), { QUIRKLAB_TEST_COUNT_TO: countFile });
    expect(clean.code).toBe(0);
    const operations = Number(readFileSync(countFile, "utf8"));
    expect(operations).toBeGreaterThan(20); // config, manifest, summary, events, model, report: each a write and a rename
    const rng = new Rng(2026);
    const points = [...rng.permutation(operations)].slice(0, KILL_POINTS).map((i) => i + 1).sort((a, b) => a - b);
    const cases = points.map((point) => ({ point, runsDir: mkdtempSync(join(tmpdir(), `quirklab-kill${point}-`)) }));
    // two at a time: each is a process start-up and a tiny run
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const results = await Promise.all(batch.map((c) => runCli(c.runsDir, { QUIRKLAB_TEST_KILL_AT: String(c.point) })));
      for (const [j, r] of results.entries()) expect(r.signal, `kill point ${batch[j]!.point}`).toBe("SIGKILL");
    }
    const data = new NodeDataSource();
    const states: Record<string, number> = {};
    for (const { point, runsDir } of cases) {
      const folders = readdirSync(runsDir);
      expect(folders.length, `kill point ${point}`).toBeLessThanOrEqual(1);
      let state = "no folder yet";
      if (folders.length === 1) {
        const dir = join(runsDir, folders[0]!);
        // summary.json is replaced whole or not at all: it always parses
        const summary = readRunSummary(join(dir, "summary.json"));
        if (!summary) {
          expect(["gone", "none"], `kill point ${point}`).toContain(runningOwner(dir).state);
          state = "interrupted before summary.json";
        } else {
          state = folderState(dir, summary.status).label;
          expect(["complete", "interrupted (owner gone)"], `kill point ${point}: ${state}`).toContain(state);
          if (state === "complete") {
            expect(existsSync(join(dir, "artifacts", "model", "weights.bin"))).toBe(true);
            expect(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes(".tmp-"))).toEqual([]);
          }
        }
      }
      states[state] = (states[state] ?? 0) + 1;
      const rerun = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir, backend, data, report: false });
      expect(rerun.status, `rerun after kill point ${point}`).toBe("complete");
      expect(readRunSummary(join(runsDir, rerun.runId, "summary.json"))!.status).toBe("complete");
    }
    // the points reach every phase: before the folder has a summary, mid-run, and (the last writes) the report
    expect(Object.keys(states).length, JSON.stringify(states)).toBeGreaterThanOrEqual(2);
  });
});
