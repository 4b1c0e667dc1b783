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
import { laplacianEnergy, maximize, objectiveValue, parseObjective } from "../../src/analysis/inside/maximize.js";
import { initTestBackend } from "../backend.js";

describe("activation maximization", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("objectives compose as values: weighted sums of layer units and logits", () => {
    expect(parseObjective("logits:3")).toEqual([{ layer: "logits", unit: 3 }]);
    expect(parseObjective("0.5*dense_2:7+logits:1")).toEqual([{ layer: "dense_2", unit: 7, weight: 0.5 }, { layer: "logits", unit: 1 }]);
    expect(() => parseObjective("dense_2")).toThrow(/layer:unit/);
    const model = buildModel(mlpSpec.parse({ hidden: [5] }), { input: [4], classes: 3 }, new Rng(1));
    const x = tf.tensor2d([[0.1, 0.5, 0.2, 0.9], [0.3, 0.3, 0.7, 0.1]]);
    const logits = model.predict(x).arraySync() as number[][];
    const hidden = model.layerOutputs(x);
    const act = hidden[1]!.output.arraySync() as number[][]; // activation_1
    const value = Array.from(objectiveValue(model, x, parseObjective("2*logits:1+0.5*activation_1:4")).dataSync());
    value.forEach((v, i) => expect(v).toBeCloseTo(2 * logits[i]![1]! + 0.5 * act[i]![4]!, 5));
    const direction = Float32Array.from([0.3, -0.2, 0.5, 0.1, -0.4]);
    const projected = Array.from(objectiveValue(model, x, [{ layer: "activation_1", direction }]).dataSync());
    projected.forEach((v, i) => expect(v).toBeCloseTo(act[i]!.reduce((s, a, u) => s + a * direction[u]!, 0), 5));
    expect(() => objectiveValue(model, x, [{ layer: "activation_1", direction: new Float32Array(2) }])).toThrow(/5 units, the direction 2/);
    tf.dispose([x, ...hidden.map((o) => o.output)]);
    model.dispose();
  });

  it("ascent raises the objective and keeps pixels in [0, 1]; the Laplacian energy of a flat image is 0", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [16], classes: 3 }, new Rng(2));
    const start = tf.fill([1, 16], 0.5);
    const terms = parseObjective("logits:2");
    const before = objectiveValue(model, start, terms).dataSync()[0]!;
    const out = maximize(model, start, terms, new Rng(3), { steps: 20, stepSize: 0.05, height: 4, width: 4, regularizers: { jitter: 1, blurSigma: 0.5, blurEvery: 5, l2Decay: 0.01, clipPercentile: 10 } });
    const after = objectiveValue(model, out, terms).dataSync()[0]!;
    expect(after).toBeGreaterThan(before);
    const values = Array.from(out.dataSync());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(laplacianEnergy(new Float32Array(16).fill(0.3), 1, 4, 4)).toBe(0);
    tf.dispose([start, out]);
    model.dispose();
  });

  it("quick preset: regularized images have far less high-frequency energy; the verdict follows the measurements", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-actmax-"));
    const summary = await runExperiment({ experiment: "activation-maximization", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    const m = summary.metrics;
    expect(m["plain.ownConfidence"]!).toBeGreaterThan(0.95);
    expect(m["regularized.laplacian"]!).toBeLessThan(m["plain.laplacian"]! / 2);
    const gain = m["regularized.agreement"]! - m["plain.agreement"]!;
    expect(summary.verdict!.measured).toBeCloseTo(gain, 12);
    expect(summary.verdict!.reproduced).toBe(m["plain.ownConfidence"]! >= 0.99 && m["regularized.ownConfidence"]! >= 0.99 && gain >= 0.2);
  });
});
