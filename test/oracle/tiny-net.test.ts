/**
 * The float64 tiny tanh net against independent references: its gradient against central finite differences of its
 * loss, its Hessian-vector product against finite differences of its gradient and against tfjs's R-operator on the
 * same network in float32; critical points found by Levenberg-Marquardt are verified by their gradient norm, and
 * their index agrees with Jacobi's eigenvalues.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { symmetricEigen } from "../../src/core/linalg.js";
import { TinyTanhNet } from "../../src/analysis/critical/tiny-net.js";
import { findCriticalPoint, hessianSpectrum, minimizeLoss } from "../../src/analysis/critical/critical-points.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { makeDataset } from "../../src/data/dataset.js";
import { datasetHvp } from "../../src/analysis/curvature/curvature.js";
import { initTestBackend } from "../backend.js";

function toy(seed: number, n = 24, inputs = 4, hidden = 3, classes = 3) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * inputs }, () => rng.normal());
  const y = Int32Array.from({ length: n }, (_, i) => i % classes);
  const net = new TinyTanhNet(inputs, hidden, classes, x, y);
  const theta = Float64Array.from({ length: net.size }, () => rng.normal(0, 0.7));
  return { net, theta, x, y, rng };
}

/** Every coordinate of the analytic gradient against a central difference of the loss (step 1e-6, 8 digits). */
function expectGradientMatchesFiniteDifferences(net: TinyTanhNet, theta: Float64Array): void {
  const { gradient } = net.lossAndGradient(theta);
  const h = 1e-6;
  for (let k = 0; k < net.size; k++) {
    const plus = theta.slice();
    const minus = theta.slice();
    plus[k]! += h;
    minus[k]! -= h;
    const fd = (net.lossAndGradient(plus).loss - net.lossAndGradient(minus).loss) / (2 * h);
    expect(gradient[k]).toBeCloseTo(fd, 8);
  }
}

describe("TinyTanhNet (float64)", () => {
  it("its gradient matches central finite differences of its loss", () => {
    const { net, theta } = toy(1);
    expectGradientMatchesFiniteDifferences(net, theta);
  });

  it("its Hessian-vector product matches finite differences of its gradient, and the Hessian is symmetric", () => {
    const { net, theta, rng } = toy(2);
    const v = Float64Array.from({ length: net.size }, () => rng.normal());
    const hv = net.hvp(theta, v);
    const h = 1e-5;
    const gPlus = net.lossAndGradient(theta.map((t, i) => t + h * v[i]!)).gradient;
    const gMinus = net.lossAndGradient(theta.map((t, i) => t - h * v[i]!)).gradient;
    hv.forEach((value, k) => expect(value).toBeCloseTo((gPlus[k]! - gMinus[k]!) / (2 * h), 7));
    const H = net.hessian(theta);
    // symmetric before symmetrizing: compare two HVPs on basis vectors
    const e = (i: number) => Float64Array.from({ length: net.size }, (_, j) => (j === i ? 1 : 0));
    expect(net.hvp(theta, e(3))[7]).toBeCloseTo(net.hvp(theta, e(7))[3]!, 12);
    expect(H[3]![7]).toBeCloseTo(H[7]![3]!, 15);
  });

  it("agrees with tfjs's float32 R-operator on the same tanh network", async () => {
    await initTestBackend();
    const { net, theta, x, y, rng } = toy(3, 16, 4, 3, 3);
    const model = buildModel(mlpSpec.parse({ hidden: [3], activation: "tanh", init: "xavier" }), { input: [4], classes: 3 }, new Rng(9));
    // tfjs kernels are [in, out] and come before their biases; the tiny net keeps rows per unit: re-lay the vector
    const flat = new Float32Array(net.size);
    let o = 0;
    for (let d = 0; d < 4; d++) for (let j = 0; j < 3; j++) flat[o++] = theta[j * 4 + d]!;
    for (let j = 0; j < 3; j++) flat[o++] = theta[12 + j]!;
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) flat[o++] = theta[15 + k * 3 + j]!;
    for (let k = 0; k < 3; k++) flat[o++] = theta[24 + k]!;
    model.setFlat(flat);
    const data = makeDataset("toy", Float32Array.from(x), y, [4], 3);
    const v = Float64Array.from({ length: net.size }, () => rng.normal());
    const vTf = new Float32Array(net.size);
    o = 0;
    for (let d = 0; d < 4; d++) for (let j = 0; j < 3; j++) vTf[o++] = v[j * 4 + d]!;
    for (let j = 0; j < 3; j++) vTf[o++] = v[12 + j]!;
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) vTf[o++] = v[15 + k * 3 + j]!;
    for (let k = 0; k < 3; k++) vTf[o++] = v[24 + k]!;
    const ours = net.hvp(theta, v);
    const theirs = datasetHvp(model, data, vTf);
    // the same re-layout of our result, every block
    const mine = new Float64Array(net.size);
    o = 0;
    for (let d = 0; d < 4; d++) for (let j = 0; j < 3; j++) mine[o++] = ours[j * 4 + d]!;
    for (let j = 0; j < 3; j++) mine[o++] = ours[12 + j]!;
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) mine[o++] = ours[15 + k * 3 + j]!;
    for (let k = 0; k < 3; k++) mine[o++] = ours[24 + k]!;
    const scale = Math.max(...Array.from(ours, Math.abs));
    mine.forEach((m, k) => expect(Math.abs(theirs[k]! - m)).toBeLessThan(1e-4 * scale));
    model.dispose();
  });

  it("Levenberg-Marquardt reaches a verified critical point; its index counts Jacobi's negative eigenvalues", () => {
    // 200 points with labels unrelated to the inputs: not separable, so critical points are finite
    const { net, theta } = toy(4, 200, 3, 2, 3);
    const g0 = net.lossAndGradient(theta).gradient;
    const tolerance = 1e-6 * Math.sqrt(g0.reduce((s, g) => s + g * g, 0));
    const found = findCriticalPoint(net, theta, { tolerance, maxIterations: 200 });
    expect(found.converged).toBe(true);
    const g = net.lossAndGradient(found.theta).gradient;
    expect(Math.sqrt(g.reduce((s, v) => s + v * v, 0))).toBeLessThanOrEqual(tolerance);
    const spectrum = hessianSpectrum(net, found.theta);
    const values = symmetricEigen(net.hessian(found.theta)).values;
    const scale = Math.max(...values.map(Math.abs));
    expect(spectrum.index).toBeCloseTo(values.filter((v) => v < -1e-6 * scale).length / values.length, 12);
    expect(spectrum.max).toBeCloseTo(values[0]!, 9);
  });
});

describe("TinyTanhNet's assembled Hessian and the searches", () => {
  it("the block-assembled Hessian equals one exact HVP per basis vector, with zero inputs, with and without weight decay", () => {
    for (const decay of [0, 0.01]) {
      const { x, y, rng } = toy(5, 30, 5, 4, 3);
      // zero inputs take the assembly's sparse path (down-sampled digits are a third zeros)
      for (let i = 0; i < x.length; i += 3) x[i] = 0;
      const net = new TinyTanhNet(5, 4, 3, x, y, decay);
      const theta = Float64Array.from({ length: net.size }, () => rng.normal(0, 0.8));
      const H = net.hessian(theta);
      const e = new Float64Array(net.size);
      for (let c = 0; c < net.size; c++) {
        e[c] = 1;
        const column = net.hvp(theta, e);
        e[c] = 0;
        for (let r = 0; r < net.size; r++) expect(Math.abs(H[r]![c]! - column[r]!)).toBeLessThan(1e-13);
      }
    }
  });

  it("weight decay adds decay/2 ||theta||^2 to the loss and decay x theta to the gradient (finite differences)", () => {
    const { x, y, rng } = toy(6, 20, 3, 2, 3);
    const net = new TinyTanhNet(3, 2, 3, x, y, 0.05);
    const plain = new TinyTanhNet(3, 2, 3, x, y);
    const theta = Float64Array.from({ length: net.size }, () => rng.normal());
    const squared = theta.reduce((s, t) => s + t * t, 0);
    expect(net.lossAndGradient(theta).loss).toBeCloseTo(plain.lossAndGradient(theta).loss + 0.025 * squared, 12);
    expectGradientMatchesFiniteDifferences(net, theta);
    expect(() => new TinyTanhNet(3, 2, 3, x, y, -1)).toThrow(/weightDecay/);
  });

  it("damped Newton reaches a verified minimum; with a unit switched off it reaches an exact saddle of the full net", () => {
    const { net: plain, x, y, rng } = toy(7, 200, 3, 3, 3);
    const net = new TinyTanhNet(plain.inputs, plain.hidden, plain.classes, x, y, 1e-3);
    const theta = Float64Array.from({ length: net.size }, () => rng.normal(0, 0.5));
    const tolerance = 1e-6 * Math.sqrt(net.lossAndGradient(theta).gradient.reduce((s, g) => s + g * g, 0));
    const minimum = minimizeLoss(net, theta, { tolerance, maxIterations: 200 });
    expect(minimum.converged).toBe(true);
    expect(minimum.loss).toBeLessThan(net.lossAndGradient(theta).loss);
    const atMinimum = symmetricEigen(net.hessian(minimum.theta)).values;
    expect(Math.min(...atMinimum)).toBeGreaterThan(0);

    // unit 2 off: its incoming weights, bias and outgoing weights zero and frozen
    const frozen = new Array<boolean>(net.size).fill(false);
    const start = theta.slice();
    const off = [...[6, 7, 8], 9 + 2, ...[0, 1, 2].map((k) => 12 + k * 3 + 2)];
    for (const i of off) {
      start[i] = 0;
      frozen[i] = true;
    }
    const reduced = minimizeLoss(net, start, { tolerance, maxIterations: 200, frozen });
    expect(reduced.converged).toBe(true);
    for (const i of off) expect(reduced.theta[i]).toBe(0);
    // the full gradient, not only the free part, is below the tolerance: an exact critical point of the 3-unit net
    const full = net.lossAndGradient(reduced.theta).gradient;
    expect(Math.sqrt(full.reduce((s, g) => s + g * g, 0))).toBeLessThanOrEqual(tolerance);
    expect(reduced.loss).toBeGreaterThan(minimum.loss);
    // the switched-off unit's input and output weights couple through the residual: negative curvature, a saddle
    expect(hessianSpectrum(net, reduced.theta).index).toBeGreaterThan(0);
  });
});
