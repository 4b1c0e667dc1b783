import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIdx } from "../../src/core/idx.js";
import { modularAdditionTable } from "../../src/data/modular.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { delaysTo } from "../../src/phenomena/grokking/curves.js";
import { decayKey, grokkingModularSchema } from "../../src/phenomena/grokking/grokking-modular.schema.js";
import { findExperiment } from "../../src/phenomena/registry.js";
import { logSpaced } from "../../src/phenomena/sweep.js";
import { runExperiment } from "../../src/run/runner.js";
import { initTestBackend } from "../backend.js";

describe("grokking on modular addition", () => {
  it("encodes every pair of the table once, as one-hot a then one-hot b, labelled (a + b) mod m", () => {
    const m = 7;
    const table = modularAdditionTable(m);
    expect(table.n).toBe(49);
    expect(table.shape).toEqual([14]);
    expect(table.classes).toBe(7);
    for (const [a, b] of [[0, 0], [3, 5], [6, 6], [2, 4]] as const) {
      const k = a * m + b;
      const row = Array.from(table.x.subarray(k * 14, (k + 1) * 14));
      const expected = new Array(14).fill(0);
      expected[a] = 1;
      expected[m + b] = 1;
      expect(row).toEqual(expected);
      expect(table.y[k]).toBe((a + b) % m);
    }
    // each label is the sum of exactly m pairs
    const counts = new Array(m).fill(0);
    for (const label of table.y) counts[label]++;
    expect(counts).toEqual(new Array(m).fill(m));
    expect(() => modularAdditionTable(1)).toThrow(/modulus/);
  });

  it("dates generalization at an absolute accuracy and reports none when it never comes", () => {
    const rows = (points: [number, number, number][]) => points.map(([step, trainAccuracy, testAccuracy]) => ({ step, trainAccuracy, testAccuracy, weightNorm: 50 - step / 100 }));
    const grokked = delaysTo(rows([[0, 0.01, 0.01], [100, 0.995, 0.02], [1000, 1, 0.995], [2000, 1, 0.7], [4000, 1, 0.993], [8000, 1, 0.999]]), 0.99, 0.99);
    expect(grokked.stepToFit).toBe(100);
    expect(grokked.stepToGeneralize).toBe(4000); // the bump at 1,000 fell back
    expect(grokked.delay).toBe(40);
    expect(grokked.finalWeightNorm).toBe(-30);
    const memorized = delaysTo(rows([[0, 0.01, 0.01], [100, 1, 0.0], [8000, 1, 0.3]]), 0.99, 0.99);
    expect(memorized.stepToFit).toBe(100);
    expect(memorized.stepToGeneralize).toBeNaN();
    expect(memorized.delay).toBeNaN();
  });

  it("follows Power et al.'s table and optimizer by default", () => {
    const c = grokkingModularSchema.parse({});
    expect(c.task).toEqual({ modulus: 97, trainFraction: 0.4 });
    expect(c.weightDecays).toEqual([0, 1]);
    expect(c.train).toMatchObject({ optimizer: "adamw", beta2: 0.98, warmupSteps: 10, batchSize: 512, loss: "softmax-ce" });
    expect(c.train).not.toHaveProperty("weightDecay"); // one run per value of weightDecays instead
    expect(() => grokkingModularSchema.parse({ weightDecays: [1, 0] })).toThrow();
    const paper = findExperiment("grokking-modular")!.presets.paper as { train: { lr: number; steps: number } };
    expect(paper.train).toEqual({ lr: 0.001, steps: 100000 });
  });

  it("quick preset: disjoint train and held-out pairs recorded, one curve and one model per weight decay", async () => {
    const backend = await initTestBackend();
    const dir = mkdtempSync(join(tmpdir(), "quirklab-grok-modular-"));
    const summary = await runExperiment({ experiment: "grokking-modular", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource(), report: false });
    expect(summary.status).toBe("complete");
    const config = grokkingModularSchema.parse(summary.config);
    const pairs = config.task.modulus ** 2;
    const subsets = join(dir, summary.runId, "artifacts", "subsets");
    const read = (name: string) => Array.from(readIdx(readFileSync(join(subsets, `${name}-indices.idx`)), name).data as Int32Array);
    const train = read("train");
    const test = read("test");
    expect(train.length).toBe(Math.round(config.task.trainFraction * pairs));
    expect(new Set([...train, ...test]).size).toBe(pairs); // every pair in exactly one of the two
    const curves = (summary.details as { curves: Record<string, { step: number; weightNorm: number }[]> }).curves;
    for (const wd of config.weightDecays) {
      expect(curves[decayKey(wd)]!.map((r) => r.step)).toEqual([0, ...logSpaced(config.train.steps!, config.checkpoints)]);
      expect(summary.metrics[`${decayKey(wd)}.stepToFit`]).toBeDefined();
      expect(existsSync(join(dir, summary.runId, "artifacts", "models", `wd-${wd}`, "model.json"))).toBe(true);
    }
    // both runs start from the same draw; only the decay differs, and it keeps the weights smaller
    expect(curves[decayKey(0)]![0]!.weightNorm).toBe(curves[decayKey(1)]![0]!.weightNorm);
    expect(summary.metrics[`${decayKey(1)}.finalWeightNorm`]!).toBeLessThan(summary.metrics[`${decayKey(0)}.finalWeightNorm`]!);
    const def = findExperiment("grokking-modular")!;
    expect(def.figures!({ metrics: summary.metrics, details: def.details!.parse(JSON.parse(JSON.stringify(summary.details))) }, summary.config as never).length).toBeGreaterThan(0);
  }, 60_000);
});
