import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { flatLayout } from "../../src/engine/flat.js";
import { train } from "../../src/training/loop.js";
import { trainSpec } from "../../src/training/schema.js";
import { kernelSparsity, magnitudeMask, maskPlugin } from "../../src/analysis/compression/prune.js";
import { initTestBackend } from "../backend.js";

describe("pruning", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("the mask zeroes exactly the smallest kernel weights, keeps biases, globally or per layer", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [6], classes: 3 }, new Rng(5));
    const theta = model.getFlat();
    const slots = flatLayout(model.params());
    const kernelIdx = slots.filter((s) => s.role === "kernel").flatMap((s) => Array.from({ length: s.size }, (_, i) => s.offset + i));
    const mask = magnitudeMask(model, 0.5, "global");
    const kept = kernelIdx.filter((i) => mask[i] === 1).map((i) => Math.abs(theta[i]!));
    const dropped = kernelIdx.filter((i) => mask[i] === 0).map((i) => Math.abs(theta[i]!));
    expect(dropped.length).toBe(Math.round(0.5 * kernelIdx.length));
    expect(Math.max(...dropped)).toBeLessThanOrEqual(Math.min(...kept));
    for (const s of slots.filter((s) => s.role === "bias")) expect(Array.from(mask.subarray(s.offset, s.offset + s.size)).every((v) => v === 1)).toBe(true);
    const perLayer = magnitudeMask(model, 0.5, "layer");
    for (const s of slots.filter((s) => s.role === "kernel")) expect(Array.from(perLayer.subarray(s.offset, s.offset + s.size)).filter((v) => v === 0).length).toBe(Math.round(0.5 * s.size));
    model.dispose();
  });

  it("prunes exactly what a sort by (magnitude, position) prunes, ties included", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [7, 5] }), { input: [6], classes: 3 }, new Rng(8));
    const slots = flatLayout(model.params()).filter((s) => s.role === "kernel");
    const rng = new Rng(9);
    // weights drawn from a handful of values (and their negatives): many ties at every rank
    const theta = Float32Array.from({ length: model.parameterCount() }, () => (rng.next() < 0.5 ? -1 : 1) * [0, 0.25, 0.5, 1][Math.floor(rng.next() * 4)]!);
    model.setFlat(theta);
    const oracle = (sparsity: number, groups: typeof slots[]) => {
      const mask = new Float32Array(theta.length).fill(1);
      for (const group of groups) {
        const idx = group.flatMap((s) => Array.from({ length: s.size }, (_, i) => s.offset + i));
        idx.sort((a, b) => Math.abs(theta[a]!) - Math.abs(theta[b]!) || a - b);
        for (let i = 0; i < Math.round(sparsity * idx.length); i++) mask[idx[i]!] = 0;
      }
      return mask;
    };
    for (const sparsity of [0, 0.1, 0.33, 0.5, 0.77, 0.99]) {
      expect(Array.from(magnitudeMask(model, sparsity, "global"))).toEqual(Array.from(oracle(sparsity, [slots])));
      expect(Array.from(magnitudeMask(model, sparsity, "layer"))).toEqual(Array.from(oracle(sparsity, slots.map((s) => [s]))));
    }
    model.dispose();
  });

  it("masks stay applied through training while the other weights move", async () => {
    const rng = new Rng(6);
    const data = makeDataset("toy", Float32Array.from({ length: 64 * 6 }, () => rng.normal()), Int32Array.from({ length: 64 }, (_, i) => i % 3), [6], 3);
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [6], classes: 3 }, new Rng(7));
    const mask = magnitudeMask(model, 0.7, "global");
    const before = model.getFlat();
    const plugin = maskPlugin(model, mask);
    await train(model, data, trainSpec.parse({ optimizer: "adam", lr: 0.01, batchSize: 16, epochs: 3 }), { order: new Rng(8), plugins: [plugin] });
    plugin.dispose();
    const after = model.getFlat();
    let moved = 0;
    for (let i = 0; i < after.length; i++) {
      if (mask[i] === 0) expect(Math.abs(after[i]!)).toBe(0);
      else if (after[i] !== before[i]) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    expect(kernelSparsity(model)).toBe(Math.round(0.7 * 72) / 72); // 6x8 + 8x3 kernel weights
    model.dispose();
  });

  it("quick preset: the sparsity asked is the sparsity measured, and the verdict follows the accuracies", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-prune-"));
    const summary = await runExperiment({ experiment: "pruning", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    const m = summary.metrics;
    for (const s of [0.5, 0.9, 0.98]) expect(m[`sparsity@${s}`]!).toBeCloseTo(s, 3);
    expect(m["retrained@0.9"]!).toBeGreaterThan(m["pruned@0.98"]!);
    const lost = m.denseAccuracy! - m["retrained@0.9"]!;
    expect(summary.verdict!.measured).toBeCloseTo(lost, 12);
    expect(summary.verdict!.reproduced).toBe(lost <= 0.005 && m.denseAccuracy! - m["pruned@0.9"]! >= 0.05);
  });
});
