/** Dense symmetric eigenvalues: Householder + QL against Jacobi and against spectra known in closed form. */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { principalScores, symmetricEigen, symmetricEigenvalues } from "../../src/core/linalg.js";

describe("symmetric eigenvalues", () => {
  it("match Jacobi on random symmetric matrices, including indefinite ones", () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 5, 30]) {
      const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i]![j] = A[j]![i] = rng.normal();
      const fast = symmetricEigenvalues(A);
      const reference = symmetricEigen(A).values;
      fast.forEach((v, k) => expect(v).toBeCloseTo(reference[k]!, 9));
    }
  });

  it("recover a spectrum known in closed form: the path graph's Laplacian", () => {
    // eigenvalues of the n x n tridiagonal (2, -1) matrix: 2 - 2 cos(k pi / (n + 1))
    const n = 12;
    const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((a, b) => b - a);
    symmetricEigenvalues(A).forEach((v, k) => expect(v).toBeCloseTo(exact[k]!, 12));
    expect(symmetricEigenvalues([])).toEqual([]);
  });
});

describe("principal scores", () => {
  it("match the covariance's top eigenvectors from Jacobi (up to sign), with the sign convention applied", () => {
    const rng = new Rng(11);
    const points = Array.from({ length: 30 }, () => {
      const a = rng.normal() * 3;
      const b = rng.normal();
      return [a + 0.1 * rng.normal(), b, a - b + 0.1 * rng.normal(), 0.2 * rng.normal()];
    });
    const { scores, variances } = principalScores(points, 2);
    const n = points.length;
    const mean = [0, 1, 2, 3].map((j) => points.reduce((s, p) => s + p[j]!, 0) / n);
    const cov = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => points.reduce((s, p) => s + (p[i]! - mean[i]!) * (p[j]! - mean[j]!), 0) / n));
    const { values, vectors } = symmetricEigen(cov);
    for (let c = 0; c < 2; c++) {
      expect(variances[c]!).toBeCloseTo(values[c]!, 8);
      const expected = points.map((p) => p.reduce((s, v, j) => s + (v - mean[j]!) * vectors[j]![c]!, 0));
      const sign = Math.sign(expected.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0));
      expected.forEach((v, i) => expect(scores[i]![c]!).toBeCloseTo(sign * v, 6));
      // the largest |score| of each component is positive
      const big = scores.map((s) => s[c]!).reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(big).toBeGreaterThan(0);
    }
  });
});
