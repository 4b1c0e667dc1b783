import { describe, expect, it } from "vitest";
import { repeatPass } from "../backend.js";
import { symmetricEigenSystem } from "../../src/core/eigen.js";
import { symmetricEigen } from "../../src/core/linalg.js";
import { Rng } from "../../src/core/rng.js";
import { featuresGram, matrix, minNormReadout, predict, PrefixGram, pseudoInverseApply, transpose, type Matrix } from "../../src/analysis/regression/min-norm.js";

function randomMatrix(rows: number, cols: number, rng: Rng): Matrix {
  return matrix(rows, cols, Float64Array.from({ length: rows * cols }, () => rng.normal()));
}

function randomSymmetric(n: number, rng: Rng): Float64Array[] {
  const a = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i]![j] = a[j]![i] = rng.normal();
  return a;
}

/** Phi^+ Y by an independent route: Jacobi eigenvectors V of Phi^T Phi, Phi^+ = V S^-2 V^T Phi^T over nonzero S. */
function referencePinvSolve(phi: Matrix, y: Matrix, cutoff = 1e-10): Float64Array {
  const ptp = Array.from({ length: phi.cols }, (_, a) => Array.from({ length: phi.cols }, (_, b) => {
    let s = 0;
    for (let i = 0; i < phi.rows; i++) s += phi.data[i * phi.cols + a]! * phi.data[i * phi.cols + b]!;
    return s;
  }));
  const { values, vectors } = symmetricEigen(ptp);
  const out = new Float64Array(phi.cols * y.cols);
  for (let e = 0; e < values.length; e++) {
    if (!(values[e]! > cutoff * values[0]!)) continue;
    for (let c = 0; c < y.cols; c++) {
      // v^T Phi^T y_c / lambda
      let s = 0;
      for (let i = 0; i < phi.rows; i++) {
        let row = 0;
        for (let f = 0; f < phi.cols; f++) row += phi.data[i * phi.cols + f]! * vectors[f]![e]!;
        s += row * y.data[i * y.cols + c]!;
      }
      for (let f = 0; f < phi.cols; f++) out[f * y.cols + c]! += (vectors[f]![e]! * s) / values[e]!;
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(repeatPass)("symmetricEigenSystem (tred2 + tql2)", () => {
  it("agrees with cyclic Jacobi and satisfies A v = lambda v with orthonormal vectors", () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 7, 40]) {
      const a = randomSymmetric(n, rng);
      const { values, vectors } = symmetricEigenSystem(a);
      const reference = symmetricEigen(a.map((r) => Array.from(r))).values.slice().reverse();
      expect(maxAbsDiff(values, reference)).toBeLessThan(1e-10);
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < n; r++) {
          let s = 0;
          for (let c = 0; c < n; c++) s += a[r]![c]! * vectors[i]![c]!;
          expect(Math.abs(s - values[i]! * vectors[i]![r]!)).toBeLessThan(1e-10);
        }
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          for (let c = 0; c < n; c++) dot += vectors[i]![c]! * vectors[j]![c]!;
          expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        }
      }
    }
  });

  it("handles repeated eigenvalues and a rank-deficient matrix", () => {
    expect(Array.from(symmetricEigenSystem([Float64Array.of(2, 0, 0), Float64Array.of(0, 2, 0), Float64Array.of(0, 0, 2)]).values)).toEqual([2, 2, 2]);
    // [[1,1],[1,1]]: eigenvalues 0 and 2
    const { values, vectors } = symmetricEigenSystem([Float64Array.of(1, 1), Float64Array.of(1, 1)]);
    expect(values[0]).toBeCloseTo(0, 12);
    expect(values[1]).toBeCloseTo(2, 12);
    expect(Math.abs(vectors[1]![0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("refuses a matrix that is not square or not symmetric", () => {
    expect(() => symmetricEigenSystem([Float64Array.of(1, 2)])).toThrow(/not square/);
    expect(() => symmetricEigenSystem([Float64Array.of(1, 2), Float64Array.of(0, 1)])).toThrow(/not symmetric/);
  });
});

describe.skipIf(repeatPass)("minimum-norm least squares", () => {
  it("one equation, two unknowns: the minimum-norm solution splits the weight (x1 + x2 = 2 -> 1, 1)", () => {
    const phi = matrix(1, 2, Float64Array.of(1, 1));
    const y = matrix(1, 1, Float64Array.of(2));
    const fit = minNormReadout(phi, transpose(phi), 2, y, 1e-12, new PrefixGram(phi).samplesGram(2));
    expect(Array.from(fit.coefficients).map((v) => Number(v.toFixed(12)))).toEqual([1, 1]);
    expect(fit.rank).toBe(1);
  });

  it("duplicated features share the weight equally (rank-deficient, more samples than features)", () => {
    const phi = matrix(3, 2, Float64Array.of(1, 1, 2, 2, 3, 3));
    const y = matrix(3, 1, Float64Array.of(1, 2, 3));
    const fit = minNormReadout(phi, transpose(phi), 2, y, 1e-12);
    expect(fit.gram).toBe("features");
    expect(fit.rank).toBe(1);
    expect(maxAbsDiff(fit.coefficients, [0.5, 0.5])).toBeLessThan(1e-12);
  });

  it("equals an independent pseudo-inverse below, at and above the interpolation threshold", () => {
    const rng = new Rng(11);
    const n = 12;
    const widest = 30;
    const phi = randomMatrix(n, widest, rng);
    const phiT = transpose(phi);
    const y = randomMatrix(n, 3, rng);
    const gram = new PrefixGram(phi);
    for (const width of [4, 11, 12, 13, 30]) {
      const fit = minNormReadout(phi, phiT, width, y, 1e-12, width >= n ? gram.samplesGram(width) : undefined);
      const narrow = matrix(n, width, Float64Array.from({ length: n * width }, (_, i) => phi.data[Math.floor(i / width) * widest + (i % width)]!));
      const reference = referencePinvSolve(narrow, y);
      expect(maxAbsDiff(fit.coefficients, reference), `width ${width}`).toBeLessThan(1e-8);
      if (width >= n) {
        // interpolation: every training target is fitted exactly
        expect(maxAbsDiff(predict(phi, width, fit.coefficients, 3), y.data)).toBeLessThan(1e-9);
      }
    }
  });

  it("both Gram matrices give the same solution", () => {
    const rng = new Rng(5);
    const phi = randomMatrix(8, 20, rng);
    const y = randomMatrix(8, 2, rng);
    const viaSamples = minNormReadout(phi, transpose(phi), 20, y, 1e-12, new PrefixGram(phi).samplesGram(20)).coefficients;
    // (Phi^T Phi)^+ Phi^T Y through the features' Gram
    const phiTY = new Float64Array(20 * 2);
    for (let f = 0; f < 20; f++) for (let i = 0; i < 8; i++) for (let c = 0; c < 2; c++) phiTY[f * 2 + c]! += phi.data[i * 20 + f]! * y.data[i * 2 + c]!;
    const viaFeatures = pseudoInverseApply(featuresGram(transpose(phi), 20), matrix(20, 2, phiTY), 1e-12).solution.data;
    expect(maxAbsDiff(viaSamples, viaFeatures)).toBeLessThan(1e-9);
  });

  it("the prefix Gram built width by width equals the Gram built at once", () => {
    const rng = new Rng(9);
    const phi = randomMatrix(6, 25, rng);
    const gram = new PrefixGram(phi);
    gram.samplesGram(7);
    const grown = gram.samplesGram(25);
    // featuresGram dots the rows of the matrix it is given: given Phi itself (rows = samples), that is Phi Phi^T
    const direct = featuresGram(phi, 6);
    expect(maxAbsDiff(grown.flatMap((r) => Array.from(r)), direct.flatMap((r) => Array.from(r)))).toBeLessThan(1e-12);
    expect(() => gram.samplesGram(10)).toThrow(/width 10 after 25/);
  });

  it("drops eigen-directions at or below the relative cutoff (numerical rank), and none above it", () => {
    const gram = [Float64Array.of(1, 0), Float64Array.of(0, 1e-14)];
    const rhs = matrix(2, 1, Float64Array.of(1, 1));
    expect(pseudoInverseApply(gram, rhs, 1e-12).rank).toBe(1);
    expect(Array.from(pseudoInverseApply(gram, rhs, 1e-12).solution.data)).toEqual([1, 0]);
    expect(pseudoInverseApply(gram, rhs, 1e-15).rank).toBe(2);
  });
});
