import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { flatLayout, filterNorms } from "../../src/engine/flat.js";
import { rescaleAdjacentLayers } from "../../src/analysis/curvature/reparametrize.js";
import { filterNormalize, gaussianDirection, slotsOf } from "../../src/analysis/landscape/directions.js";
import { initTestBackend } from "../backend.js";

describe("reparametrization and filter normalization", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("rescaling adjacent ReLU layers keeps the function; a sigmoid in between is refused", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [6, 5] }), { input: [4], classes: 3 }, new Rng(1));
    const copy = buildModel(mlpSpec.parse({ hidden: [6, 5] }), { input: [4], classes: 3 }, new Rng(1));
    rescaleAdjacentLayers(copy, 0, 10);
    const x = tf.tensor2d(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)), [5, 4]);
    const [a, b] = [Array.from(model.predict(x).dataSync()), Array.from(copy.predict(x).dataSync())];
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
    expect(Array.from(copy.params()[0]!.variable.dataSync())[0]).toBeCloseTo(10 * Array.from(model.params()[0]!.variable.dataSync())[0]!, 5);
    const sigmoid = buildModel(mlpSpec.parse({ hidden: [6, 5], activation: "sigmoid" }), { input: [4], classes: 3 }, new Rng(1));
    expect(() => rescaleAdjacentLayers(sigmoid, 0, 10)).toThrow(/not positively homogeneous/);
    expect(() => rescaleAdjacentLayers(model, 2, 10)).toThrow(/3 Dense layers/);
    tf.dispose(x);
    for (const m of [model, copy, sigmoid]) m.dispose();
  });

  it("a filter-normalized direction has each filter's norm equal to the weights' filter and zero on biases", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [7] }), { input: [5], classes: 3 }, new Rng(2));
    const theta = model.getFlat();
    const slots = slotsOf(model);
    const d = filterNormalize(gaussianDirection(theta.length, new Rng(3)), theta, slots);
    for (const slot of flatLayout(model.params())) {
      if (slot.role === "bias") expect(Array.from(d.subarray(slot.offset, slot.offset + slot.size)).every((v) => v === 0)).toBe(true);
      else {
        const want = filterNorms(theta, slot);
        const got = filterNorms(d, slot);
        want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 5));
      }
    }
    model.dispose();
  });

  it("quick presets: identical predictions; raw curvature and the top eigenvalue move, the filter-normalized curvature does not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-reparam-"));
    const fn = await runExperiment({ experiment: "filter-normalization", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    const m = fn.metrics;
    expect(m.predictionAgreement).toBe(1);
    expect(Math.abs(m["filter.curvature.rescaled"]! / m["filter.curvature.original"]! - 1)).toBeLessThan(0.01);
    const rawChange = m["raw.curvature.rescaled"]! / m["raw.curvature.original"]!;
    expect(fn.verdict!.measured).toBeCloseTo(Math.max(rawChange, 1 / rawChange), 10);
    expect(fn.verdict!.reproduced).toBe(Math.max(rawChange, 1 / rawChange) >= 10);
    const rp = await runExperiment({ experiment: "reparametrization", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    const r = rp.metrics;
    expect(r.predictionAgreement).toBe(1);
    expect(r["rescaled.testAccuracy"]).toBe(r["original.testAccuracy"]);
    const eig = r["rescaled.topEigenvalue"]! / r["original.topEigenvalue"]!;
    const sharp = r["rescaled.sharpness"]! / r["original.sharpness"]!;
    expect(Math.max(eig, 1 / eig)).toBeGreaterThan(3);
    expect(rp.verdict!.reproduced).toBe(Math.max(eig, 1 / eig) >= 10 && Math.max(sharp, 1 / sharp) >= 3);
  });
});
