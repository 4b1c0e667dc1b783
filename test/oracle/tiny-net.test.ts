/**
 * The float64 tiny tanh net against independent references: its gradient against central finite differences of its
 * loss, its Hessian-vector product against finite differences of its gradient and against tfjs's R-operator on the
 * same network in float32; critical points found by Levenberg-Marquardt are verified by their gradient norm, and
 * their index agrees with Jacobi's eigenvalues.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { symmetricEigen } from "../../src/core/linalg.js";
import { TinyTanhNet } from "../../src/phenomena/loss-landscape/tiny-net.js";
import { findCriticalPoint, hessianSpectrum } from "../../src/phenomena/loss-landscape/critical-points.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { makeDataset } from "../../src/data/dataset.js";
import { datasetHvp } from "../../src/phenomena/sharpness/curvature.js";
import { initTestBackend } from "../backend.js";

function toy(seed: number, n = 24, inputs = 4, hidden = 3, classes = 3) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * inputs }, () => rng.normal());
  const y = Int32Array.from({ length: n }, (_, i) => i % classes);
  const net = new TinyTanhNet(inputs, hidden, classes, x, y);
  const theta = Float64Array.from({ length: net.size }, () => rng.normal(0, 0.7));
  return { net, theta, x, y, rng };
}

describe("TinyTanhNet (float64)", () => {
  it("its gradient matches central finite differences of its loss", () => {
    const { net, theta } = toy(1);
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
