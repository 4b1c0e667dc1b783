import { describe, expect, it } from "vitest";
import { repeatPass } from "../backend.js";
import { Rng } from "../../src/core/rng.js";
import { linearAssignment } from "../../src/core/assignment.js";

function bruteForce(cost: Float64Array, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  const perm = Array.from({ length: n }, (_, i) => i);
  const visit = (k: number) => {
    if (k === n) {
      best = Math.min(best, perm.reduce((s, c, r) => s + cost[r * n + c]!, 0));
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  visit(0);
  return best;
}

describe.skipIf(repeatPass)("linear assignment (Hungarian algorithm)", () => {
  it("finds the optimum of every random matrix up to 7 x 7, ties and negative costs included", () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + (trial % 7);
      const cost = Float64Array.from({ length: n * n }, () => (trial % 3 === 0 ? rng.int(3) : rng.normal()));
      const p = linearAssignment(cost, n);
      expect([...p].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      expect(Array.from(p).reduce((s, c, r) => s + cost[r * n + c]!, 0)).toBeCloseTo(bruteForce(cost, n), 10);
    }
  });

  it("recovers a hidden permutation from a similarity matrix (maximize by negating)", () => {
    const rng = new Rng(2);
    const n = 300;
    const hidden = rng.permutation(n);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = -(j === hidden[i] ? 1 : 0) + rng.uniform(0, 0.5);
    expect(Array.from(linearAssignment(cost, n))).toEqual(Array.from(hidden));
  });

  it("refuses a matrix of the wrong size or with a non-finite cost", () => {
    expect(() => linearAssignment(new Float64Array(3), 2)).toThrow(/3 costs for a 2 x 2/);
    expect(() => linearAssignment(Float64Array.of(0, Number.NaN, 1, 2), 2)).toThrow(/row 0, column 1 is not finite/);
  });
});
