import { beforeAll, describe, expect, it } from "vitest";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel } from "../../src/models/builders.js";
import { fitProbe, hiddenRepresentationLayers } from "../../src/analysis/inside/probes.js";
import { standardizeFeatures } from "../../src/data/transforms.js";
import { linearProbesSchema } from "../../src/phenomena/linear-probes/linear-probes.schema.js";
import { linearProbesClaim } from "../../src/phenomena/linear-probes/linear-probes.claim.js";
import { summarize } from "../../src/phenomena/linear-probes/linear-probes.js";
import { trainSpec } from "../../src/training/schema.js";
import { Rng, RngStreams } from "../../src/core/rng.js";
import { initTestBackend } from "../backend.js";

describe("linear probes", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("probes every hidden activation, not the output layer", () => {
    const model = buildModel({ kind: "mlp", hidden: [5, 4, 3], activation: "relu", init: "he", dropout: 0 }, { input: [6], classes: 2 }, new Rng(1));
    const layers = hiddenRepresentationLayers(model);
    expect(layers).toHaveLength(3);
    for (const i of layers) expect(model.layers[i]!.kind).toBe("Activation");
    expect(Math.max(...layers)).toBeLessThan(model.layers.length - 1);
    model.dispose();
  });

  it("standardizes by the training set's statistics and leaves a dead feature at zero", () => {
    const train = makeDataset("t", Float32Array.from([1, 0, 5, 3, 0, 5, 5, 0, 5]), Int32Array.from([0, 1, 0]), [3], 2);
    const test = makeDataset("u", Float32Array.from([3, 7, 9]), Int32Array.from([1]), [3], 2);
    const s = standardizeFeatures(train, test);
    const column = (j: number) => [0, 1, 2].map((i) => s.train.x[i * 3 + j]!);
    const mean = column(0).reduce((a, b) => a + b, 0) / 3;
    const variance = column(0).reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
    expect(column(1)).toEqual([0, 0, 0]);
    expect(column(2)).toEqual([0, 0, 0]);
    // the test set is shifted by the training mean (3) and scaled by its sd (sqrt(8/3)); constant features give 0
    expect(s.test.x[0]).toBeCloseTo(0, 6);
    expect(Array.from(s.test.x.subarray(1))).toEqual([0, 0]);
  });

  it("a probe reads a linearly separable feature perfectly, and features that carry no label at chance", async () => {
    const rng = new Rng(3);
    const draw = (name: string, n: number, signal: number) => {
      const x = new Float32Array(n * 4);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        x[i * 4] = signal * (y[i] ? 1 : -1) + rng.normal(0, 0.2);
        for (let j = 1; j < 4; j++) x[i * 4 + j] = rng.normal();
      }
      return makeDataset(name, x, y, [4], 2);
    };
    const ctx = { streams: new RngStreams(5), signal: new AbortController().signal, emit: () => {}, progress: () => {} };
    const config = trainSpec.parse({ optimizer: "adam", lr: 0.01, batchSize: 50, epochs: 20 });
    const fit = await fitProbe(ctx, "probe/separable", draw("separable", 400, 1), draw("separable-test", 400, 1), config);
    expect(fit.testAccuracy).toBe(1);
    const chance = await fitProbe(ctx, "probe/noise", draw("noise", 400, 0), draw("noise-test", 1000, 0), config);
    expect(chance.testAccuracy).toBeGreaterThan(0.43);
    expect(chance.testAccuracy).toBeLessThan(0.57);
  });

  it("the verdict judges depth, the gain over pixels and the random-layer control from the metrics", () => {
    const config = linearProbesSchema.parse({});
    const metrics = (input: number, trained: number[], untrained: number[]) => {
      const m: Record<string, number> = { "input.testAccuracy": input };
      trained.forEach((v, i) => (m[`trained.layer${i + 1}.testAccuracy`] = v));
      untrained.forEach((v, i) => (m[`untrained.layer${i + 1}.testAccuracy`] = v));
      return { ...m, ...summarize(m, config) };
    };
    const good = metrics(0.9, [0.95, 0.96, 0.96], [0.915, 0.9, 0.88]);
    expect(good["trained.smallestStep"]).toBe(0);
    expect(good["trained.gainOverInput"]).toBeCloseTo(0.06, 9);
    expect(linearProbesClaim.verdict(good, config).reproduced).toBe(true);
    // the headline pair (the tour's "measured" and "threshold" columns) is the control's, both from that one check
    expect(linearProbesClaim.verdict(good, config)).toMatchObject({ measured: expect.closeTo(0.015, 9), threshold: 0.01 });
    // a drop of 0.3 points is within the tolerance; of 0.4 it is not
    expect(linearProbesClaim.verdict(metrics(0.9, [0.95, 0.947, 0.96], [0.915, 0.9, 0.88]), config).reproduced).toBe(true);
    expect(linearProbesClaim.verdict(metrics(0.9, [0.95, 0.946, 0.96], [0.915, 0.9, 0.88]), config).reproduced).toBe(false);
    // the last layer must be 3 points above the pixels
    expect(linearProbesClaim.verdict(metrics(0.9, [0.91, 0.92, 0.925], [0.915, 0.9, 0.88]), config).reproduced).toBe(false);
    // the control: a random layer no better than the pixels fails
    expect(linearProbesClaim.verdict(metrics(0.9, [0.95, 0.96, 0.96], [0.905, 0.9, 0.88]), config).reproduced).toBe(false);
  });
});
