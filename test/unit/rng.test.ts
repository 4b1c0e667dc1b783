import { describe, expect, it } from "vitest";
import { Rng, RngStreams, deriveSeed } from "../../src/core/rng.js";
import { canonicalJson, stableId } from "../../src/core/hash.js";
import { summarize, tQuantile975 } from "../../src/core/stats.js";

describe("Rng", () => {
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("draws uniforms in [0,1) with the right mean and normals with the right moments", () => {
    const r = new Rng(1);
    const n = 100_000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    const z = Array.from({ length: n }, () => r.normal(2, 3));
    const s = summarize(z);
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.05);
    expect(Math.abs(s.sd - 3)).toBeLessThan(0.05);
  });

  it("int(n) covers 0..n-1 uniformly (chi-square, 9 df, fixed seed)", () => {
    const r = new Rng(5);
    const counts = new Array(10).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001 critical value for 9 degrees of freedom
  });

  it("permutations are bijections", () => {
    const p = new Rng(3).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("rejects seeds outside the uint32 range", () => {
    expect(() => new Rng(-1)).toThrow(/seed must be an integer/);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
  });
});

describe("RngStreams", () => {
  it("derives independent named streams: using one never shifts another", () => {
    const a = new RngStreams(7);
    const b = new RngStreams(7);
    for (let i = 0; i < 1000; i++) a.get("init").next(); // a uses its init stream heavily, b does not
    expect(a.get("data-order").nextUint32()).toBe(b.get("data-order").nextUint32());
    expect(a.get("init")).toBe(a.get("init"));
  });

  it("gives different streams to different names and different seeds", () => {
    expect(deriveSeed(1, "init")).not.toBe(deriveSeed(1, "data-order"));
    expect(deriveSeed(1, "init")).not.toBe(deriveSeed(2, "init"));
    expect(new RngStreams(1).get("init").nextUint32()).not.toBe(new RngStreams(2).get("init").nextUint32());
  });
});

describe("hash and stats", () => {
  it("hashes configs independently of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(stableId({ b: 1, a: 2 })).toBe(stableId({ a: 2, b: 1 }));
    expect(stableId({ a: 1 })).not.toBe(stableId({ a: 2 }));
  });

  it("computes mean, sample sd and the t-based 95% interval", () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    const half = (tQuantile975(3) * s.sd) / 2;
    expect(s.ci95[0]).toBeCloseTo(2.5 - half, 12);
    expect(s.ci95[1]).toBeCloseTo(2.5 + half, 12);
    expect(summarize([7]).ci95).toEqual([7, 7]);
  });
});
