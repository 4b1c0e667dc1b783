/** Dense symmetric eigenvalues: Householder + QL against Jacobi and against spectra known in closed form. */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { symmetricEigen, symmetricEigenvalues } from "../../src/core/linalg.js";

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
