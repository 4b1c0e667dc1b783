import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { run } from "../support/spawn.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { initTestBackend, testBackendChoice } from "../backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { runSeeds, parseSeeds } from "../../src/run/seeds.js";
import { readJsonLines } from "../../src/store/files.js";
import type { RunSummary } from "../../src/store/summary.js";

const tiny = ["data.trainSize=300", "data.testSize=200", "train.epochs=2", "model.hidden=[32]"];
const root = join(import.meta.dirname, "..", "..");
const cli = ["--import", "tsx", join(root, "src", "cli", "main.ts")];

function withoutTiming(s: RunSummary) {
  const { timing: _timing, ...rest } = s;
  return rest;
}

describe("runner end to end (baseline on a tiny config)", () => {
  let backend: BackendInfo;
  const data = new NodeDataSource();
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("same config and seed give identical weights and summary; another seed differs", async () => {
    const dirA = mkdtempSync(join(tmpdir(), "quirklab-a-"));
    const dirB = mkdtempSync(join(tmpdir(), "quirklab-b-"));
    const a = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir: dirA, backend, data });
    const b = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir: dirB, backend, data });
    const c = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 2, runsDir: dirA, backend, data });
    expect(a.status).toBe("complete");
    expect(a.runId).toBe(b.runId);
    expect(withoutTiming(a)).toEqual(withoutTiming(b));
    const weights = (dir: string, id: string) => readFileSync(join(dir, id, "artifacts", "model", "weights.bin"));
    expect(weights(dirA, a.runId).equals(weights(dirB, b.runId))).toBe(true);
    expect(c.runId).not.toBe(a.runId);
    expect(weights(dirA, c.runId).equals(weights(dirA, a.runId))).toBe(false);
    expect(a.verdict).toMatchObject({ threshold: 0.85 });
    // the quick preset relaxes the claim's own 0.975: the summary says so, and so does the report
    expect(a.changedThresholds).toEqual([{ field: "claim.minTestAccuracy", value: 0.85, schemaDefault: 0.975, direction: "relaxed" }]);
    // the same figures against the claim's own threshold, computed, not assumed
    expect(a.reproducedAtOwnThresholds).toBe(a.metrics.testAccuracy! >= 0.975);
    expect(readFileSync(join(dirA, a.runId, "report", "index.html"), "utf8")).toMatch(/data-changed-thresholds>.*claim\.minTestAccuracy 0\.85 \(relaxed; the claim's own: 0\.975\); against the claim's own thresholds: (NOT )?reproduced/);
    expect(a.verdict!.measured).toBe(a.metrics.testAccuracy);
    expect(a.verdict!.reproduced).toBe(a.metrics.testAccuracy! >= 0.85);
    expect(a.subsets).toEqual({ train: "artifacts/subsets/train-indices.idx", test: "artifacts/subsets/test-indices.idx" });
    for (const name of ["config.json", "manifest.json", "metrics.jsonl", "summary.json", "artifacts/model/model.json", a.subsets!.train!, a.subsets!.test!]) {
      expect(existsSync(join(dirA, a.runId, name))).toBe(true);
    }
    expect(readJsonLines(join(dirA, a.runId, "metrics.jsonl")).filter((e) => e.type === "epoch")).toHaveLength(2);
    // an identical request reuses the complete run instead of overwriting it
    const again = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir: dirA, backend, data });
    expect(again.timing).toEqual(a.timing);
  });

  it("aggregates several seeds in worker threads with mean, sd and 95% interval", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-seeds-"));
    const agg = await runSeeds({ experiment: "baseline", preset: "quick", sets: tiny, seeds: parseSeeds("1,2"), runsDir: dir, backend: testBackendChoice(), quiet: true });
    expect(agg.status).toBe("complete");
    expect(agg.runs).toHaveLength(2);
    const acc = agg.metrics.testAccuracy!;
    expect(acc.n).toBe(2);
    const single = await Promise.all(agg.runs.map((id) => JSON.parse(readFileSync(join(dir, id, "summary.json"), "utf8")) as RunSummary));
    const values = single.map((s) => s.metrics.testAccuracy!);
    expect(acc.mean).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
    expect(acc.ci95[0]).toBeLessThanOrEqual(acc.mean);
    expect(agg.verdict!.measured).toBeCloseTo(acc.mean, 12);
    expect(agg.verdict!.note).toMatch(/mean over 2 seed/);
    expect(existsSync(join(dir, agg.runId, "summary.json"))).toBe(true);
  });
});

describe("the paper's figures beside ours", () => {
  it("an aggregate's mean ± sd stands beside the paper's figure in `show --paper-table` and in its report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-paper-"));
    const sets = ["data.trainSize=600", "data.testSize=200", "train.epochs=1", "retrain.epochs=1", "sparsities=[0.9]"];
    const agg = await runSeeds({ experiment: "pruning", preset: "quick", sets, seeds: parseSeeds("1,2"), runsDir: dir, backend: testBackendChoice(), quiet: true });
    expect(agg.status).toBe("complete");
    const dense = agg.metrics.denseAccuracy!;
    const table = await run(process.execPath, [...cli, "show", agg.runId, "--runs-dir", dir, "--paper-table"]);
    expect(table.status).toBe(0);
    // Han et al.'s 1.64% error beside our mean ± sd in points, and the figure only the paper preset measures
    expect(table.stdout).toContain(`| dense LeNet-300-100: test accuracy | 98.4% | ${(dense.mean * 100).toFixed(1)}% ± ${(dense.sd * 100).toFixed(1)} (2 seeds) |`);
    expect(table.stdout).toMatch(/\| 8% of the weights kept, retrained: test accuracy \| 98\.4% \| not measured \(the paper preset.s default measures it\) \|/);
    const report = await run(process.execPath, [...cli, "report", agg.runId, "--runs-dir", dir, "--no-png"]);
    expect(report.status).toBe(0);
    const html = readFileSync(join(dir, agg.runId, "report", "index.html"), "utf8");
    expect(html).toContain("The paper's figures beside ours: mean ± sd over seeds 1, 2");
    // the aggregate table, then one per seed's section
    expect(html.match(/data-paper-figure="dense LeNet-300-100: test accuracy"/g)).toHaveLength(3);
    const none = await run(process.execPath, [...cli, "show", agg.runs[0]!, "--runs-dir", dir, "--paper-table"]);
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/pruning, quick preset, seed 1: (not )?reproduced/);
  });
});

describe("CLI", () => {
  it("--json prints exactly summary.json on stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-cli-"));
    const args = [...cli, "run", "baseline", "--preset", "quick", ...tiny.flatMap((s) => ["--set", s]), "--runs-dir", dir, "--json", "--backend", testBackendChoice()];
    const out = await run(process.execPath, args, { env: { ...process.env, CI: "true" } });
    expect(out.status).toBe(0);
    const printed = JSON.parse(out.stdout) as RunSummary;
    expect(printed).toEqual(JSON.parse(readFileSync(join(dir, printed.runId, "summary.json"), "utf8")));
    expect(out.stderr).toMatch(/epoch 1\/2/); // progress as plain lines on stderr when CI is set
  });

  it("report re-renders a run's report; compare puts runs side by side; a missing run is a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-compare-"));
    const backend = await initTestBackend();
    const data = new NodeDataSource();
    const runs = [];
    for (const seed of [1, 2]) runs.push(await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed, runsDir: dir, backend, data, report: false }));
    expect(existsSync(join(dir, runs[0]!.runId, "report"))).toBe(false);
    const report = await run(process.execPath, [...cli, "report", runs[0]!.runId, "--runs-dir", dir, "--no-png"]);
    expect(report.status).toBe(0);
    const html = readFileSync(join(dir, runs[0]!.runId, "report", "index.html"), "utf8");
    expect(html).toContain(`data-experiment="baseline"`);
    expect(html).toContain(runs[0]!.claim!.statement.slice(0, 40));
    const compare = await run(process.execPath, [...cli, "compare", runs[0]!.runId, runs[1]!.runId, "--runs-dir", dir, "--json"]);
    expect(compare.status).toBe(0);
    const table = JSON.parse(compare.stdout) as { runs: { seed: number }[]; metrics: Record<string, number[]> };
    expect(table.runs.map((r) => r.seed)).toEqual([1, 2]);
    expect(table.metrics.testAccuracy).toEqual([runs[0]!.metrics.testAccuracy, runs[1]!.metrics.testAccuracy]);
    const missing = await run(process.execPath, [...cli, "report", "no-such-run", "--runs-dir", dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no run at .*no-such-run[\s\S]*fix:/);
  });

  it("a bad config exits 2 with the field and the fix", async () => {
    const out = await run(process.execPath, [...cli, "run", "baseline", "--set", "train.batchSize=-4"]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/train\.batchSize: .*allowed: >= 1/);
    expect(out.stderr).toMatch(/fix: /);
  });

  it("a diverging run stops with the NaN error and leaves a failed, readable run folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-nan-"));
    const sets = [...tiny, "train.optimizer=sgd", "train.lr=100000", "train.epochs=5"];
    const out = await run(process.execPath, [...cli, "run", "baseline", "--preset", "quick", ...sets.flatMap((s) => ["--set", s]), "--runs-dir", dir, "--backend", testBackendChoice()], { env: { ...process.env, CI: "true" } });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/training diverged: loss is .* at epoch 1, step \d+/);
    const runId = /-> .*\/([0-9a-f]{12})/.exec(out.stderr)![1]!;
    const summary = JSON.parse(readFileSync(join(dir, runId, "summary.json"), "utf8")) as RunSummary;
    expect(summary.status).toBe("failed");
    expect(summary.error!.message).toMatch(/diverged/);
  });

  it("SIGINT mid-run leaves a readable folder marked interrupted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-int-"));
    const sets = ["data.trainSize=2000", "data.testSize=200", "train.epochs=200"];
    const child = spawn(process.execPath, [...cli, "run", "baseline", "--preset", "quick", ...sets.flatMap((s) => ["--set", s]), "--runs-dir", dir, "--backend", testBackendChoice()], { env: { ...process.env, CI: "true" } });
    let stderr = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/epoch 1\/200/.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", (c) => resolve(c));
    });
    expect(code).toBe(130);
    const runId = /-> .*\/([0-9a-f]{12})/.exec(stderr)![1]!;
    const summary = JSON.parse(readFileSync(join(dir, runId, "summary.json"), "utf8")) as RunSummary;
    expect(summary.status).toBe("interrupted");
    const events = readJsonLines(join(dir, runId, "metrics.jsonl"));
    expect(events.filter((e) => e.type === "epoch").length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)).toMatchObject({ type: "end", status: "interrupted" });
    expect(JSON.parse(readFileSync(join(dir, runId, "config.json"), "utf8"))).toMatchObject({ train: { epochs: 200 } });
  });
});
