import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { initBackend, type BackendChoice } from "../../src/engine/backend.js";
import { nodeNativeProvider } from "../../src/engine/native.js";
import { parameterGradients, inputGradient } from "../../src/engine/gradients.js";
import { hessianVectorProductFlat } from "../../src/engine/hvp.js";
import { lossValue } from "../../src/engine/loss.js";
import { Activation, AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, Reshape } from "../../src/models/layers.js";
import { Sequential } from "../../src/models/sequential.js";
import { Rng } from "../../src/core/rng.js";
import type { Layer } from "../../src/engine/module.js";
import { exactHvp, finiteDifferenceGradient, lossAt, referenceParamCount, type RefLayer } from "./reference-net.js";

interface Case {
  name: string;
  inputShape: number[];
  ref: RefLayer[];
  build: (rng: Rng) => Layer[];
}

const zero = { kind: "zero" } as const;
const cases: Case[] = [
  {
    name: "tanh MLP 5-4-3",
    inputShape: [5],
    ref: [{ kind: "dense", inputs: 5, units: 4 }, { kind: "act", fn: "tanh" }, { kind: "dense", inputs: 4, units: 3 }],
    build: (r) => [new Dense("d1", 5, 4, zero, r), new Activation("a1", "tanh"), new Dense("d2", 4, 3, zero, r)],
  },
  {
    name: "relu+sigmoid MLP 5-4-4-3",
    inputShape: [5],
    ref: [
      { kind: "dense", inputs: 5, units: 4 },
      { kind: "act", fn: "relu" },
      { kind: "dense", inputs: 4, units: 4 },
      { kind: "act", fn: "sigmoid" },
      { kind: "dense", inputs: 4, units: 3 },
    ],
    build: (r) => [
      new Dense("d1", 5, 4, zero, r),
      new Activation("a1", "relu"),
      new Dense("d2", 4, 4, zero, r),
      new Activation("a2", "sigmoid"),
      new Dense("d3", 4, 3, zero, r),
    ],
  },
  {
    name: "relu CNN (same padding, max pool)",
    inputShape: [6, 6, 1],
    ref: [
      { kind: "conv", inChannels: 1, filters: 2, k: 3, padding: "same" },
      { kind: "act", fn: "relu" },
      { kind: "pool", size: 2 },
      { kind: "flatten" },
      { kind: "dense", inputs: 18, units: 3 },
    ],
    build: (r) => [
      new Conv2D("c1", 1, 2, 3, 1, "same", zero, r),
      new Activation("a1", "relu"),
      new MaxPool2D("p1", 2),
      new Flatten("f"),
      new Dense("d1", 18, 3, zero, r),
    ],
  },
  {
    name: "tanh CNN (valid padding, two convs)",
    inputShape: [6, 6, 2],
    ref: [
      { kind: "conv", inChannels: 2, filters: 3, k: 3, padding: "valid" },
      { kind: "act", fn: "tanh" },
      { kind: "conv", inChannels: 3, filters: 2, k: 2, padding: "same" },
      { kind: "act", fn: "tanh" },
      { kind: "pool", size: 2 },
      { kind: "flatten" },
      { kind: "dense", inputs: 8, units: 3 },
    ],
    build: (r) => [
      new Conv2D("c1", 2, 3, 3, 1, "valid", zero, r),
      new Activation("a1", "tanh"),
      new Conv2D("c2", 3, 2, 2, 1, "same", zero, r),
      new Activation("a2", "tanh"),
      new MaxPool2D("p1", 2),
      new Flatten("f"),
      new Dense("d1", 8, 3, zero, r),
    ],
  },
  {
    name: "sigmoid CNN from a flat input (reshape, average pool)",
    inputShape: [32],
    ref: [
      { kind: "reshape", shape: [4, 4, 2] },
      { kind: "conv", inChannels: 2, filters: 2, k: 3, padding: "same" },
      { kind: "act", fn: "sigmoid" },
      { kind: "avgpool", size: 2 },
      { kind: "flatten" },
      { kind: "dense", inputs: 8, units: 3 },
    ],
    build: (r) => [
      new Reshape("r", [4, 4, 2]),
      new Conv2D("c1", 2, 2, 3, 1, "same", zero, r),
      new Activation("a1", "sigmoid"),
      new AvgPool2D("p1", 2),
      new Flatten("f"),
      new Dense("d1", 8, 3, zero, r),
    ],
  },
];

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
}

// native last: it registers its kernels over cpu for the rest of this process
const backends: BackendChoice[] = nodeNativeProvider().probe().available ? ["wasm", "cpu", "native"] : ["wasm", "cpu"];

describe.each(backends)("derivatives against float64 oracles on %s", (backend) => {
  beforeAll(async () => {
    await initBackend(backend, nodeNativeProvider());
  });

  describe.each(cases)("$name", (c) => {
    const rng = new Rng(7);
    const count = referenceParamCount(c.ref);
    const params = Float32Array.from({ length: count }, () => rng.normal(0, 0.6));
    const inputSize = c.inputShape.reduce((a, b) => a * b, 1);
    const xs = Array.from({ length: 4 }, () => Array.from({ length: inputSize }, () => rng.normal(0, 1)));
    const labels = [0, 2, 1, 2];
    const params64 = Array.from(params);
    let model: Sequential;
    let x: tf.Tensor;
    let y: tf.Tensor;
    beforeAll(() => {
      model = new Sequential(c.build(rng), c.inputShape);
      model.setFlat(params);
      x = tf.tensor(xs.flat(), [xs.length, ...c.inputShape]);
      y = tf.tensor1d(labels, "int32");
    });

    it("has the reference's parameter count and loss", () => {
      expect(model.parameterCount()).toBe(count);
      const loss = tf.tidy(() => lossValue("softmax-ce", model.predict(x), y).dataSync()[0]!);
      expect(loss).toBeCloseTo(lossAt(c.ref, c.inputShape, params64, xs, labels), 5);
    });

    it("parameter gradients match float64 central finite differences", () => {
      const { grads } = parameterGradients(model, x, y, "softmax-ce");
      const flat = Float32Array.from(grads.flatMap((g) => Array.from(g.dataSync())));
      tf.dispose(grads);
      const reference = finiteDifferenceGradient(c.ref, c.inputShape, params64, xs, labels);
      expect(relativeError(flat, reference)).toBeLessThan(1e-4);
    });

    it("input gradients match finite differences of the loss in the input", () => {
      const { grad } = inputGradient(model, x, y, "softmax-ce", "mean");
      const g = grad.dataSync();
      grad.dispose();
      const h = 1e-6;
      const reference: number[] = [];
      for (let n = 0; n < xs.length; n++)
        for (let i = 0; i < inputSize; i++) {
          const plus = xs.map((row) => row.slice());
          const minus = xs.map((row) => row.slice());
          plus[n]![i]! += h;
          minus[n]![i]! -= h;
          reference.push((lossAt(c.ref, c.inputShape, params64, plus, labels) - lossAt(c.ref, c.inputShape, params64, minus, labels)) / (2 * h));
        }
      expect(relativeError(g, reference)).toBeLessThan(1e-4);
    });

    it("the R-operator HVP equals the exact Hessian-vector product", () => {
      for (let trial = 0; trial < 2; trial++) {
        const v = Float32Array.from({ length: count }, () => rng.normal(0, 1));
        const hv = hessianVectorProductFlat(model, x, y, "softmax-ce", v);
        const exact = exactHvp(c.ref, c.inputShape, params64, Array.from(v), xs, labels);
        expect(relativeError(hv, exact)).toBeLessThan(1e-4);
      }
    });

    // the squared error against one-hot labels (the edge of stability's and Omnigrok's loss): value, gradient, HVP
    it("squared-error: loss, gradients and HVP match the float64 reference", () => {
      const value = tf.tidy(() => lossValue("squared-error", model.predict(x), y).dataSync()[0]!);
      expect(value).toBeCloseTo(lossAt(c.ref, c.inputShape, params64, xs, labels, "squared-error"), 5);
      const { grads } = parameterGradients(model, x, y, "squared-error");
      const flat = Float32Array.from(grads.flatMap((g) => Array.from(g.dataSync())));
      tf.dispose(grads);
      expect(relativeError(flat, finiteDifferenceGradient(c.ref, c.inputShape, params64, xs, labels, 1e-6, "squared-error"))).toBeLessThan(1e-4);
      const v = Float32Array.from({ length: count }, () => rng.normal(0, 1));
      const hv = hessianVectorProductFlat(model, x, y, "squared-error", v);
      expect(relativeError(hv, exactHvp(c.ref, c.inputShape, params64, Array.from(v), xs, labels, "squared-error"))).toBeLessThan(1e-4);
    });
  });
});
