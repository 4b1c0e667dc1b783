import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { evaluate } from "../../src/training/evaluate.js";
import { bezierPoint, controlGradient, curveScan, fitBezierControl } from "../../src/analysis/landscape/bezier.js";
import { initTestBackend } from "../backend.js";

function toy(n: number, seed: number) {
  const rng = new Rng(seed);
  return makeDataset("toy", Float32Array.from({ length: n * 4 }, () => rng.uniform(-1, 1)), Int32Array.from({ length: n }, (_, i) => i % 3), [4], 3);
}

describe("quadratic Bézier curves between two networks", () => {
  it("passes through both ends and its control point's gradient is 2t(1-t) times the loss gradient (finite differences)", async () => {
    await initTestBackend();
    const data = toy(30, 1);
    const model = buildModel(mlpSpec.parse({ hidden: [5], activation: "tanh" }), { input: [4], classes: 3 }, new Rng(2));
    const rng = new Rng(3);
    const a = Float32Array.from(model.getFlat(), (v) => v + rng.normal(0, 0.3));
    const b = Float32Array.from(model.getFlat(), (v) => v + rng.normal(0, 0.3));
    const c = Float32Array.from(model.getFlat(), (v) => v + rng.normal(0, 0.3));
    expect(Array.from(bezierPoint(a, c, b, 0))).toEqual(Array.from(a));
    expect(Array.from(bezierPoint(a, c, b, 1))).toEqual(Array.from(b));
    const t = 0.3;
    const { gradient } = controlGradient(model, a, c, b, t, data);
    const lossAt = (control: Float32Array) => {
      model.setFlat(bezierPoint(a, control, b, t));
      return evaluate(model, data).loss;
    };
    const h = 1e-2;
    for (const i of [0, 7, 19, 30, c.length - 1]) {
      const plus = c.slice();
      const minus = c.slice();
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(Math.abs(gradient[i]! - numeric), `coordinate ${i}: ${gradient[i]} vs ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    model.dispose();
  });

  it("training the control point lowers the loss in the middle of the curve below the straight line's, and restores the model", async () => {
    await initTestBackend();
    const data = toy(60, 4);
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [4], classes: 3 }, new Rng(5));
    const rng = new Rng(6);
    const a = Float32Array.from(model.getFlat(), (v) => v + rng.normal(0, 0.5));
    const b = Float32Array.from(model.getFlat(), (v) => -v + rng.normal(0, 0.5));
    const before = model.getFlat();
    const control = await fitBezierControl(model, a, b, data, { epochs: 30, batchSize: 20, lr: 0.01 }, { order: new Rng(7), t: new Rng(8) });
    expect(Array.from(model.getFlat())).toEqual(Array.from(before));
    const midpoint = Float32Array.from(a, (v, i) => (v + b[i]!) / 2);
    const [trained, straight] = await Promise.all([curveScan(model, a, control, b, [0.5], [{ name: "train", data }]), curveScan(model, a, midpoint, b, [0.5], [{ name: "train", data }])]);
    expect(trained[0]!.loss.train!).toBeLessThan(straight[0]!.loss.train!);
    model.dispose();
  });
});
