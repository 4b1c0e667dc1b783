import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { findLayer, labelPurity, layerActivations, topKByDirection, topKForUnit } from "../../src/analysis/inside/activations.js";
import { initTestBackend } from "../backend.js";

describe("units-vs-directions", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("top-k by direction and label purity on a hand-made case", () => {
    const values = Float32Array.from([1, 0, 0, 3, 2, 2, 5, -1]); // 4 rows of width 2
    expect(Array.from(topKForUnit(values, 2, 0, 2))).toEqual([3, 2]);
    expect(Array.from(topKForUnit(values, 2, 1, 2))).toEqual([1, 2]);
    expect(Array.from(topKByDirection(values, 2, [1, 1], 3))).toEqual([2, 3, 1]);
    expect(labelPurity([7, 7, 3, 7], [0, 1, 2])).toBeCloseTo(2 / 3, 12);
    expect(labelPurity([1, 2, 3], [0, 1, 2])).toBeCloseTo(1 / 3, 12);
  });

  it("layer activations equal the layer's output computed directly, in chunks", () => {
    const rng = new Rng(2);
    const data = makeDataset("toy", Float32Array.from({ length: 7 * 5 }, () => rng.normal()), Int32Array.from({ length: 7 }, (_, i) => i % 3), [5], 3);
    const model = buildModel(mlpSpec.parse({ hidden: [4, 3] }), { input: [5], classes: 3 }, new Rng(3));
    const layer = findLayer(model, "last:Activation");
    expect(model.layers[layer]!.name).toBe("activation_2");
    const { values, width } = layerActivations(model, data, layer, 3);
    expect(width).toBe(3);
    const direct = tf.tidy(() => {
      const x = tf.tensor2d(data.x, [7, 5]);
      const p = model.params().map((q) => q.variable);
      const h1 = tf.relu(tf.add(tf.matMul(x, p[0]!), p[1]!));
      return Array.from(tf.relu(tf.add(tf.matMul(h1, p[2]!), p[3]!)).dataSync());
    });
    direct.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
    expect(() => findLayer(model, "nope")).toThrow(/last:Activation/);
    model.dispose();
  });

  it("quick preset: random directions are about as pure as units, pixel directions much less", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-units-"));
    const summary = await runExperiment({ experiment: "units-vs-directions", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m.testAccuracy!).toBeGreaterThan(0.8);
    expect(m["purity.units"]!).toBeGreaterThan(m["purity.pixels"]!);
    expect(m["purity.random"]!).toBeGreaterThan(m["purity.pixels"]!);
    expect(summary.verdict!.measured).toBeCloseTo(m["purity.random"]! / m["purity.units"]!, 12);
    expect(summary.verdict!.reproduced).toBe(m["purity.random"]! / m["purity.units"]! >= 0.8);
    const images = summary.details!.images as { path: string }[];
    expect(images.map((i) => i.path)).toEqual(["images/top-units.png", "images/top-random.png", "images/activations-activation_1.png", "images/activations-activation_2.png", "images/saliency.png"]);
    for (const i of images) expect(existsSync(join(dir, summary.runId, "artifacts", i.path))).toBe(true);
  });
});
