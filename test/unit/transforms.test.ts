import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { makeDataset, classCounts } from "../../src/data/dataset.js";
import {
  applyPixelPermutation,
  boxAverage,
  classSplit,
  corruptLabels,
  fixedPixelPermutation,
  gaussianInputs,
  gaussianLike,
  perImagePixelShuffle,
  permutedTasks,
  rotateImages,
  randomLabels,
  randomSubset,
} from "../../src/data/transforms.js";

function toy(n = 200, features = 16) {
  const x = Float32Array.from({ length: n * features }, (_, i) => (i % 7) / 7);
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  return makeDataset("toy", x, y, [4, 4, 1], 10);
}

describe("dataset transforms", () => {
  it("corrupts exactly round(p n) labels, each to a different class, reproducibly", () => {
    const ds = toy(1000);
    for (const p of [0, 0.2, 0.5, 1]) {
      const out = corruptLabels(ds, p, new Rng(3));
      let changed = 0;
      for (let i = 0; i < ds.n; i++) if (out.y[i] !== ds.y[i]) changed++;
      expect(changed).toBe(Math.round(p * ds.n));
      expect(out.corrupted.length).toBe(changed);
      expect(Array.from(corruptLabels(ds, p, new Rng(3)).y)).toEqual(Array.from(out.y));
    }
    expect(Array.from(corruptLabels(ds, 0.5, new Rng(4)).y)).not.toEqual(Array.from(corruptLabels(ds, 0.5, new Rng(3)).y));
    expect(() => corruptLabels(ds, 1.5, new Rng(1))).toThrow(/\[0, 1\]/);
  });

  it("random labels are roughly uniform over the classes", () => {
    const counts = classCounts(randomLabels(toy(5000), new Rng(1)));
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(100);
  });

  it("a fixed pixel permutation is one bijection applied to every image", () => {
    const ds = toy(50);
    const out = fixedPixelPermutation(ds, new Rng(2));
    expect(Array.from(out.permutation).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (let i = 0; i < ds.n; i++) for (let j = 0; j < 16; j++) expect(out.x[i * 16 + j]).toBe(ds.x[i * 16 + out.permutation[j]!]);
  });

  it("random pixels permute each image separately, keeping its pixel multiset", () => {
    const x = Float32Array.from({ length: 3 * 16 }, (_, i) => i);
    const ds = makeDataset("ramp", x, Int32Array.from([0, 1, 2]), [16], 3);
    const out = perImagePixelShuffle(ds, new Rng(9));
    for (let i = 0; i < 3; i++) {
      const row = Array.from(out.x.subarray(i * 16, (i + 1) * 16)).sort((a, b) => a - b);
      expect(row).toEqual(Array.from(ds.x.subarray(i * 16, (i + 1) * 16)));
    }
    const offsets = [0, 1, 2].map((i) => Array.from(out.x.subarray(i * 16, (i + 1) * 16)).map((v) => v - i * 16));
    expect(offsets[0]).not.toEqual(offsets[1]);
  });

  it("Gaussian inputs match the data's mean and sd", () => {
    const ds = toy(2000);
    const out = gaussianInputs(ds, new Rng(1));
    const m = out.x.reduce((a, b) => a + b, 0) / out.x.length;
    const sd = Math.sqrt(out.x.reduce((a, b) => a + (b - m) ** 2, 0) / out.x.length);
    expect(Math.abs(m - out.mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - out.sd) / out.sd).toBeLessThan(0.02);
    expect(Array.from(out.y)).toEqual(Array.from(ds.y));
  });

  it("a test set gets the train set's permutation, and Gaussian test inputs the train set's mean and sd", () => {
    const train = fixedPixelPermutation(toy(20), new Rng(4));
    const test = applyPixelPermutation(toy(20), train.permutation);
    expect(Array.from(test.x)).toEqual(Array.from(train.x));
    expect(() => applyPixelPermutation(toy(2), Int32Array.from([0, 1]))).toThrow(/16 pixels/);
    const noise = gaussianLike(toy(500), 0.3, 0.2, new Rng(5));
    const mean = noise.x.reduce((a, b) => a + b, 0) / noise.x.length;
    const sd = Math.sqrt(noise.x.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.x.length);
    expect(mean).toBeCloseTo(0.3, 2);
    expect(sd).toBeCloseTo(0.2, 2);
    expect(Array.from(noise.y)).toEqual(Array.from(toy(500).y));
  });

  it("class splits keep only the asked classes, optionally relabelled", () => {
    const out = classSplit(toy(100), [3, 7], true);
    expect(out.n).toBe(20);
    expect(out.classes).toBe(2);
    expect(new Set(out.y)).toEqual(new Set([0, 1]));
  });

  it("permuted tasks: task 0 is the data, the others independent permutations", () => {
    const ds = toy(10);
    const tasks = permutedTasks(ds, 3, new Rng(1));
    expect(tasks[0]!.x).toBe(ds.x);
    expect(Array.from(tasks[1]!.x)).not.toEqual(Array.from(tasks[2]!.x));
  });

  it("subsets by size are seeded and sorted", () => {
    const ds = toy(100);
    const a = randomSubset(ds, 10, new Rng(1));
    expect(a.n).toBe(10);
    expect(Array.from(a.x)).toEqual(Array.from(randomSubset(ds, 10, new Rng(1)).x));
    expect(randomSubset(ds, 500, new Rng(1))).toBe(ds);
  });
});

describe("rotateImages", () => {
  const one = (y: number, x: number) => {
    const img = new Float32Array(28 * 28);
    img[y * 28 + x] = 1;
    return makeDataset("dot", img, Int32Array.from([0]), [28, 28, 1], 10);
  };

  it("turns counter-clockwise about the centre; 0 degrees and four quarter turns are the identity", () => {
    const ds = one(2, 20);
    const turned = rotateImages(ds, 90);
    // (x 20, y 2) near the top right goes to (x 2, y 7), near the top left: counter-clockwise on screen
    expect(turned.x[7 * 28 + 2]).toBeCloseTo(1, 6);
    expect(turned.x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(Array.from(rotateImages(ds, 0).x)).toEqual(Array.from(ds.x));
    let back = ds;
    for (let k = 0; k < 4; k++) back = rotateImages(back, 90);
    Array.from(back.x).forEach((v, i) => expect(v).toBeCloseTo(ds.x[i]!, 5));
  });

  it("interpolates between pixels and drops what leaves the frame", () => {
    const half = rotateImages(one(13, 13), 45);
    // bilinear sampling spreads the dot; it keeps its mass only roughly (0.93 here), as any resampling does
    const mass = half.x.reduce((a, b) => a + b, 0);
    expect(mass).toBeGreaterThan(0.8);
    expect(mass).toBeLessThan(1.2);
    const corner = rotateImages(one(0, 0), 45); // the corner turns outside the frame
    expect(corner.x.reduce((a, b) => a + b, 0)).toBeLessThan(1e-6);
    expect(() => rotateImages(makeDataset("rgb", new Float32Array(12), Int32Array.from([0]), [2, 2, 3], 10), 10)).toThrow(/single-channel/);
  });
});

describe("boxAverage", () => {
  it("averages factor x factor blocks of each image, keeps labels, and names a bad factor", () => {
    // two 4 x 4 images: the first counts 0..15, the second is all ones
    const x = Float32Array.from({ length: 32 }, (_, i) => (i < 16 ? i : 1));
    const ds = makeDataset("grid", x, Int32Array.from([3, 7]), [4, 4, 1], 10);
    const small = boxAverage(ds, 2);
    expect(small.shape).toEqual([2, 2, 1]);
    expect(Array.from(small.x)).toEqual([2.5, 4.5, 10.5, 12.5, 1, 1, 1, 1]);
    expect(Array.from(small.y)).toEqual([3, 7]);
    expect(Array.from(boxAverage(ds, 1).x)).toEqual(Array.from(x));
    expect(() => boxAverage(ds, 3)).toThrow(/factor 3 must be a positive integer dividing/);
  });
});
