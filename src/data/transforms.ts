/**
 * Dataset transforms from the randomization tests (Zhang et al. 2017) and continual learning. Every random choice
 * takes the caller's stream, so the same seed gives the same corrupted set.
 */
import type { Rng } from "../core/rng.js";
import { featureSize, select, type Dataset } from "./dataset.js";

/** `size` examples drawn without replacement (all of them, in order, when size >= n). */
export function randomSubset(ds: Dataset, size: number, rng: Rng): Dataset {
  return randomSubsetWithIndices(ds, size, rng).subset;
}

/** randomSubset, and the indices into `ds` it kept (ascending; every index when size >= n, with no draw made). */
export function randomSubsetWithIndices(ds: Dataset, size: number, rng: Rng): { subset: Dataset; indices: Int32Array } {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`subset size must be a positive integer, got ${size}`);
  if (size >= ds.n) return { subset: ds, indices: Int32Array.from({ length: ds.n }, (_, i) => i) };
  const picked = Int32Array.from(rng.permutation(ds.n).subarray(0, size)).sort();
  return { subset: select(ds, picked, `subset(${size})`), indices: picked };
}

/**
 * Exactly round(p * n) labels, at indices chosen uniformly, replaced by a uniformly drawn *different* class, so the
 * corrupted fraction is exactly p (Zhang et al. draw with replacement of the true class, which corrupts (1 - 1/k) p).
 * Returns the indices that were corrupted too.
 */
export function corruptLabels(ds: Dataset, p: number, rng: Rng): Dataset & { corrupted: Int32Array } {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`label corruption fraction must be in [0, 1], got ${p}`);
  const count = Math.round(p * ds.n);
  const corrupted = rng.permutation(ds.n).subarray(0, count).slice().sort();
  const y = ds.y.slice();
  for (const i of corrupted) y[i] = (y[i]! + 1 + rng.int(ds.classes - 1)) % ds.classes;
  return { ...ds, name: `${ds.name}|corrupt-labels(${p})`, y, corrupted };
}

/** Every label replaced by a uniform random class (Zhang et al.'s "random labels"). */
export function randomLabels(ds: Dataset, rng: Rng): Dataset {
  const y = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) y[i] = rng.int(ds.classes);
  return { ...ds, name: `${ds.name}|random-labels`, y };
}

function permutePixels(ds: Dataset, permutationFor: (i: number) => Int32Array): Float32Array {
  const size = featureSize(ds);
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < ds.n; i++) {
    const perm = permutationFor(i);
    const base = i * size;
    for (let j = 0; j < size; j++) x[base + j] = ds.x[base + perm[j]!]!;
  }
  return x;
}

/** One fixed pixel permutation applied to every image ("shuffled pixels"; also a permuted-MNIST task). */
export function fixedPixelPermutation(ds: Dataset, rng: Rng): Dataset & { permutation: Int32Array } {
  const permutation = rng.permutation(featureSize(ds));
  return { ...ds, name: `${ds.name}|shuffled-pixels`, x: permutePixels(ds, () => permutation), permutation };
}

/** A given pixel permutation applied to every image (the test set of a "shuffled pixels" run gets the train set's). */
export function applyPixelPermutation(ds: Dataset, permutation: Int32Array): Dataset {
  if (permutation.length !== featureSize(ds)) throw new RangeError(`permutation has ${permutation.length} entries, images have ${featureSize(ds)} pixels`);
  return { ...ds, name: `${ds.name}|shuffled-pixels`, x: permutePixels(ds, () => permutation) };
}

/**
 * Every image rotated by `degrees` (counter-clockwise) about its centre, bilinear, pixels from outside the image 0
 * (GEM's MNIST Rotations; single-channel images only).
 */
export function rotateImages(ds: Dataset, degrees: number): Dataset {
  const [h, w, c = 1] = ds.shape as [number, number, number?];
  if (ds.shape.length < 2 || c !== 1) throw new RangeError(`rotateImages needs single-channel images, got shape ${ds.shape.join("x")}`);
  const size = h * w;
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  // for each output pixel, where it comes from: the inverse rotation, with weights shared by every image
  const from: { k: number; wt: number }[][] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const dy = y - cy;
      // image rows grow downwards: a counter-clockwise turn on screen
      const sx = cx + cos * dx - sin * dy;
      const sy = cy + sin * dx + cos * dy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const taps: { k: number; wt: number }[] = [];
      for (const [xx, yy, wt] of [[x0, y0, (1 - fx) * (1 - fy)], [x0 + 1, y0, fx * (1 - fy)], [x0, y0 + 1, (1 - fx) * fy], [x0 + 1, y0 + 1, fx * fy]] as const) {
        if (wt > 1e-9 && xx >= 0 && yy >= 0 && xx < w && yy < h) taps.push({ k: yy * w + xx, wt });
      }
      from.push(taps);
    }
  }
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < ds.n; i++) {
    const base = i * size;
    for (let p = 0; p < size; p++) {
      let v = 0;
      for (const t of from[p]!) v += t.wt * ds.x[base + t.k]!;
      x[base + p] = v;
    }
  }
  return { ...ds, name: `${ds.name}|rotated(${Number(degrees.toFixed(2))})`, x };
}

/** Gaussian noise images with a given pixel mean and sd, labels kept (a test set matching a Gaussian train set). */
export function gaussianLike(ds: Dataset, mean: number, sd: number, rng: Rng): Dataset {
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal(mean, sd);
  return { ...ds, name: `${ds.name}|gaussian`, x };
}

/** A new random permutation for every image ("random pixels"). */
export function perImagePixelShuffle(ds: Dataset, rng: Rng): Dataset {
  const size = featureSize(ds);
  return { ...ds, name: `${ds.name}|random-pixels`, x: permutePixels(ds, () => rng.permutation(size)) };
}

/** Gaussian noise images with the dataset's pixel mean and variance ("Gaussian" in Zhang et al.), labels kept. */
export function gaussianInputs(ds: Dataset, rng: Rng): Dataset & { mean: number; sd: number } {
  let sum = 0;
  let sumSq = 0;
  for (const v of ds.x) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / ds.x.length;
  const sd = Math.sqrt(Math.max(0, sumSq / ds.x.length - mean * mean));
  return { ...gaussianLike(ds, mean, sd, rng), mean, sd };
}

/** Only the examples of `classes`, optionally relabelled 0..k-1 in the given order (multi-head split tasks). */
export function classSplit(ds: Dataset, classes: number[], relabel = false): Dataset {
  const wanted = new Map(classes.map((c, i) => [c, i]));
  const indices: number[] = [];
  for (let i = 0; i < ds.n; i++) if (wanted.has(ds.y[i]!)) indices.push(i);
  const out = select(ds, indices, `classes(${classes.join(",")})`);
  if (!relabel) return out;
  const y = out.y.map((label) => wanted.get(label)!);
  return { ...out, y, classes: classes.length };
}

/** k tasks with independent fixed pixel permutations; task 0 is the unpermuted data when `firstIdentity`. */
export function permutedTasks(ds: Dataset, k: number, rng: Rng, firstIdentity = true): Dataset[] {
  const tasks: Dataset[] = [];
  for (let t = 0; t < k; t++) {
    if (t === 0 && firstIdentity) {
      tasks.push({ ...ds, name: `${ds.name}|task(0)` });
      continue;
    }
    const permuted = fixedPixelPermutation(ds, rng);
    tasks.push({ ...permuted, name: `${ds.name}|task(${t})` });
  }
  return tasks;
}

/** The standard split-MNIST stream: consecutive class pairs as tasks. */
export function splitTasks(ds: Dataset, groups: number[][], relabel = false): Dataset[] {
  return groups.map((g) => classSplit(ds, g, relabel));
}

/** The examples of several datasets of one shape and label set, one after another (joint training on past tasks). */
export function concatDatasets(parts: Dataset[], name = parts.map((p) => p.name).join("+")): Dataset {
  if (parts.length === 0) throw new RangeError("concatDatasets needs at least one dataset");
  const first = parts[0]!;
  const size = featureSize(first);
  for (const p of parts)
    if (featureSize(p) !== size || p.classes !== first.classes) throw new RangeError(`cannot concatenate ${p.name}: its shape or classes differ from ${first.name}`);
  const n = parts.reduce((t, p) => t + p.n, 0);
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  let offset = 0;
  for (const p of parts) {
    x.set(p.x, offset * size);
    y.set(p.y, offset);
    offset += p.n;
  }
  return { ...first, name, x, y, n };
}

/**
 * Every single-channel image shrunk by averaging `factor` x `factor` blocks (28 x 28 -> 7 x 7 for factor 4): Dauphin
 * et al.'s down-sampled MNIST, small enough for exact Hessians.
 */
export function boxAverage(ds: Dataset, factor: number): Dataset {
  const [h, w, c = 1] = ds.shape as [number, number, number?];
  if (ds.shape.length < 2 || c !== 1) throw new RangeError(`boxAverage needs single-channel images, got shape ${ds.shape.join("x")}`);
  if (!Number.isInteger(factor) || factor < 1 || h % factor !== 0 || w % factor !== 0) {
    throw new RangeError(`boxAverage: factor ${factor} must be a positive integer dividing the image size ${h}x${w}`);
  }
  const oh = h / factor;
  const ow = w / factor;
  const size = h * w;
  const x = new Float32Array(ds.n * oh * ow);
  const area = factor * factor;
  for (let i = 0; i < ds.n; i++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let sum = 0;
        for (let dr = 0; dr < factor; dr++) {
          const row = i * size + (r * factor + dr) * w + q * factor;
          for (let dq = 0; dq < factor; dq++) sum += ds.x[row + dq]!;
        }
        x[(i * oh + r) * ow + q] = sum / area;
      }
    }
  }
  return { ...ds, name: `${ds.name}|box-average(${factor})`, x, shape: ds.shape.length === 3 ? [oh, ow, 1] : [oh, ow] };
}

/**
 * Each feature (pixel) shifted and scaled to zero mean and unit variance by the training set's statistics, applied to
 * both sets; a constant feature (a border pixel, a dead ReLU) becomes zero rather than a division by zero.
 */
export function standardizeFeatures(train: Dataset, test: Dataset): { train: Dataset; test: Dataset } {
  const width = train.x.length / train.n;
  const mean = new Float64Array(width);
  const square = new Float64Array(width);
  for (let i = 0; i < train.n; i++)
    for (let j = 0; j < width; j++) {
      const v = train.x[i * width + j]!;
      mean[j]! += v;
      square[j]! += v * v;
    }
  const scale = new Float64Array(width);
  for (let j = 0; j < width; j++) {
    mean[j]! /= train.n;
    const sd = Math.sqrt(Math.max(0, square[j]! / train.n - mean[j]! ** 2));
    scale[j] = sd > 1e-6 ? 1 / sd : 0;
  }
  const apply = (ds: Dataset): Dataset => {
    const x = new Float32Array(ds.x.length);
    for (let i = 0; i < ds.n; i++) for (let j = 0; j < width; j++) x[i * width + j] = (ds.x[i * width + j]! - mean[j]!) * scale[j]!;
    return { ...ds, name: `${ds.name}|standardized`, x };
  };
  return { train: apply(train), test: apply(test) };
}
