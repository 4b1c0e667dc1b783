import { describe, expect, it } from "vitest";
import { collapseMeasures, type CollapseInput } from "../../src/analysis/inside/collapse.js";
import { symmetricEigen } from "../../src/core/linalg.js";
import { Rng } from "../../src/core/rng.js";
import { neuralCollapseSchema, type CollapseRow } from "../../src/phenomena/neural-collapse/neural-collapse.schema.js";
import { neuralCollapseClaim } from "../../src/phenomena/neural-collapse/neural-collapse.claim.js";
import { largestRebound, summarizeCollapse } from "../../src/phenomena/neural-collapse/summary.js";

/** Tr(Σ_W Σ_B⁺)/C the slow way: the d x d matrices and the pseudo-inverse from a full Jacobi eigendecomposition. */
function explicitNc1(input: CollapseInput): number {
  const { features, width: d, labels, classes: C } = input;
  const n = labels.length;
  const means = Array.from({ length: C }, () => new Array<number>(d).fill(0));
  const counts = new Array<number>(C).fill(0);
  for (let i = 0; i < n; i++) {
    counts[labels[i]!]!++;
    for (let j = 0; j < d; j++) means[labels[i]!]![j]! += features[i * d + j]!;
  }
  means.forEach((m, c) => m.forEach((_, j) => (m[j]! /= counts[c]!)));
  const centre = Array.from({ length: d }, (_, j) => means.reduce((s, m) => s + m[j]!, 0) / C);
  const within = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const between = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    const r = Array.from({ length: d }, (_, j) => features[i * d + j]! - means[labels[i]!]![j]!);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) within[a]![b]! += (r[a]! * r[b]!) / n;
  }
  for (const m of means) {
    const r = m.map((v, j) => v - centre[j]!);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) between[a]![b]! += (r[a]! * r[b]!) / C;
  }
  const { values, vectors } = symmetricEigen(between, 1e-15);
  const pinv = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  values.forEach((lambda, k) => {
    if (lambda <= 1e-9 * values[0]!) return;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) pinv[a]![b]! += (vectors[a]![k]! * vectors[b]![k]!) / lambda;
  });
  let trace = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) trace += within[a]![b]! * pinv[b]![a]!;
  return trace / C;
}

function randomInput(rng: Rng, n: number, d: number, C: number, spread: number): CollapseInput {
  const centres = Array.from({ length: C }, () => Array.from({ length: d }, () => rng.normal()));
  const labels = Int32Array.from({ length: n }, (_, i) => i % C);
  const features = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) features[i * d + j] = centres[labels[i]!]![j]! + spread * rng.normal();
  return { features, width: d, labels, classes: C, kernel: Float32Array.from({ length: d * C }, () => rng.normal()), bias: new Float32Array(C) };
}

/** C vertices of a simplex ETF in R^d (d >= C): the standard basis, centred, scaled. */
function simplex(C: number, d: number, scale: number): number[][] {
  return Array.from({ length: C }, (_, c) => Array.from({ length: d }, (_, j) => (j < C ? scale * ((j === c ? 1 : 0) - 1 / C) : 0)));
}

const row = (epoch: number, nc1: number, nc3: number): CollapseRow => ({
  epoch,
  trainAccuracy: 1,
  trainLoss: 0.01,
  testAccuracy: 0.95,
  withinClassVariability: nc1,
  meanNormSpread: 0.01,
  classifierNormSpread: 0.01,
  meanCosine: -0.111,
  meanCosineStd: 0.02,
  classifierCosineStd: 0.02,
  cosineGapToSimplex: 0.01,
  classifierToMeans: nc3,
  nearestMeanMismatch: 0,
});

describe("neural collapse measures", () => {
  it("NC1 through the C x C projection equals the explicit d x d pseudo-inverse", () => {
    const rng = new Rng(7);
    for (const [n, d, C, spread] of [
      [60, 7, 4, 0.5],
      [90, 12, 3, 2],
      [50, 3, 5, 0.3], // d < C - 1: Σ_B has rank d, the null space of the means' Gram matrix is bigger than one
    ] as const) {
      const input = randomInput(rng, n, d, C, spread);
      const fast = collapseMeasures(input).withinClassVariability;
      expect(fast).toBeGreaterThan(0);
      expect(Math.abs(fast - explicitNc1(input)) / fast).toBeLessThan(1e-6);
    }
  });

  it("a perfect simplex gives NC1 = 0, cosines of exactly −1/(C−1), NC3 = 0 and NC4 = 0", () => {
    const C = 4;
    const d = 6;
    const vertices = simplex(C, d, 3).map((v) => v.map((x) => x + 0.5)); // shifted: only the centred means matter
    const labels = Int32Array.from({ length: 20 }, (_, i) => i % C);
    const features = Float32Array.from(Array.from(labels).flatMap((c) => vertices[c]!));
    // the classifier is the centred means themselves (column c = class c), up to a scale
    const kernel = new Float32Array(d * C);
    const centred = simplex(C, d, 3);
    for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) kernel[j * C + c] = 2 * centred[c]![j]!;
    const m = collapseMeasures({ features, width: d, labels, classes: C, kernel, bias: new Float32Array(C) });
    expect(m.withinClassVariability).toBeLessThan(1e-12);
    expect(m.meanCosine).toBeCloseTo(-1 / (C - 1), 6);
    expect(m.meanCosineStd).toBeLessThan(1e-6);
    expect(m.cosineGapToSimplex).toBeLessThan(1e-6);
    expect(m.meanNormSpread).toBeLessThan(1e-6);
    expect(m.classifierToMeans).toBeLessThan(1e-6);
    expect(m.nearestMeanMismatch).toBe(0);
    // the principal-component view of a simplex keeps every mean at the same distance from the centre in its span
    expect(m.meansPca).toHaveLength(C);
  });

  it("NC4 counts the examples where the net's decision differs from the nearest class mean", () => {
    // two classes on a line at -1 and +1; a classifier biased towards class 1 takes the examples at -0.2 from class 0
    const features = Float32Array.from([-1.2, -0.8, -0.2, 0.8, 1.2, 1]);
    const labels = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const m = collapseMeasures({ features, width: 1, labels, classes: 2, kernel: Float32Array.from([-1, 1]), bias: Float32Array.from([0, 1]) });
    // class means -0.733 and 1: -0.2 is nearer class 0's mean, but the net scores 0.2 vs 0.8 for class 1
    expect(m.nearestMeanMismatch).toBeCloseTo(1 / 6, 12);
  });

  it("refuses a class without examples, and a classifier of the wrong shape", () => {
    const input = randomInput(new Rng(1), 10, 3, 2, 0.1);
    expect(() => collapseMeasures({ ...input, classes: 3, kernel: new Float32Array(9), bias: new Float32Array(3) })).toThrow(/class 2 has no training example/);
    expect(() => collapseMeasures({ ...input, kernel: new Float32Array(5) })).toThrow(/classifier must be 3 x 2/);
  });
});

describe("neural collapse: the judged figures", () => {
  it("reads the rebound of a series against its running minimum", () => {
    expect(largestRebound([5, 4, 3, 2])).toBe(0);
    expect(largestRebound([5, 4, 4.4, 3])).toBeCloseTo(0.1, 12);
    expect(largestRebound([5, 2, 3, 1])).toBeCloseTo(0.5, 12);
    expect(largestRebound([])).toBeNaN();
  });

  it("measures NC1's fall from the first epoch at 100% training accuracy, not from the start of training", () => {
    const curve = [row(1, 5, 0.9), row(10, 1, 0.8), row(100, 0.2, 0.6), row(350, 0.05, 0.55)];
    const s = summarizeCollapse(curve, 10);
    expect(s["nc1.reduction"]).toBeCloseTo(20, 12);
    expect(s.epochsInTerminalPhase).toBe(340);
    expect(s["nc3.rebound"]).toBe(0);
    const config = neuralCollapseSchema.parse({});
    expect(neuralCollapseClaim.verdict(s, config).reproduced).toBe(true);
    // the same curve judged from a later start has fallen only 4x: not collapse by §8.5's measure
    expect(neuralCollapseClaim.verdict(summarizeCollapse(curve, 100), config).reproduced).toBe(false);
    // a net that never fitted its training set has no terminal phase, and no verdict but a failing one
    const never = summarizeCollapse(curve, Number.NaN);
    expect(never["nc1.reduction"]).toBeNaN();
    expect(neuralCollapseClaim.verdict(never, config).reproduced).toBe(false);
  });

  it("fails NC3 when the classifier drifts away from the means in the terminal phase", () => {
    const config = neuralCollapseSchema.parse({});
    const drifting = summarizeCollapse([row(10, 1, 0.5), row(100, 0.2, 0.4), row(350, 0.05, 0.6)], 10);
    expect(drifting["nc3.rebound"]).toBeCloseTo(0.5, 12);
    expect(neuralCollapseClaim.verdict(drifting, config).reproduced).toBe(false);
  });

  it("follows Papyan et al.'s recipe by default, dividing the rate at a third and two thirds of the epochs", () => {
    const c = neuralCollapseSchema.parse({});
    expect(c.model.hidden).toEqual([256, 256]);
    expect(c.train).toMatchObject({ optimizer: "momentum", momentum: 0.9, weightDecay: 5e-4, batchSize: 128, schedule: "step", stepGamma: 0.1 });
    expect(c.train.stepEvery).toBe(Math.ceil(c.train.epochs / 3));
  });
});
