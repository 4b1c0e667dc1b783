import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { gradientSaliency, smoothGrad } from "../../src/analysis/inside/saliency.js";
import { initTestBackend } from "../backend.js";

describe("saliency", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("on a linear model the saliency of class c is column c of the weights, and SmoothGrad equals it", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [], init: "xavier" }), { input: [5], classes: 3 }, new Rng(1));
    const W = Array.from(model.params()[0]!.variable.dataSync()); // [5, 3] row-major
    const x = tf.tensor2d(Float32Array.from({ length: 10 }, (_, i) => (i % 7) / 7), [2, 5]);
    const target = Int32Array.from([2, 0]);
    const g = gradientSaliency(model, x, target).arraySync() as number[][];
    const sg = smoothGrad(model, x, new Rng(2), { samples: 5, target }).arraySync() as number[][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 5; j++) {
        expect(g[i]![j]!).toBeCloseTo(W[j * 3 + target[i]!]!, 5);
        expect(sg[i]![j]!).toBeCloseTo(W[j * 3 + target[i]!]!, 5);
      }
    tf.dispose(x);
    model.dispose();
  });

  it("on an MLP the saliency matches central differences of the logit; the predicted class is used by default", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [6], activation: "tanh" }), { input: [4], classes: 3 }, new Rng(3));
    const xs = [0.2, 0.7, 0.4, 0.9];
    const x = tf.tensor2d([xs]);
    const predicted = tf.tidy(() => tf.argMax(model.predict(x), 1).dataSync()[0]!);
    const g = Array.from(gradientSaliency(model, x).dataSync());
    const logit = (v: number[]) => tf.tidy(() => model.predict(tf.tensor2d([v])).dataSync()[predicted]!);
    const h = 1e-2;
    xs.forEach((_, j) => {
      const plus = xs.map((v, k) => (k === j ? v + h : v));
      const minus = xs.map((v, k) => (k === j ? v - h : v));
      expect(g[j]!).toBeCloseTo((logit(plus) - logit(minus)) / (2 * h), 3);
    });
    expect(() => smoothGrad(model, x, new Rng(1), { samples: 0 })).toThrow(/samples/);
    tf.dispose(x);
    model.dispose();
  });
});
