/** An in-memory labelled image set: the shape every transform, batcher and experiment works on. */
import { DataError } from "../core/errors.js";

/** Names that always mean the shipped datasets: a user's folder gets a name of its own. */
export const BUILT_IN_DATASETS = ["mnist", "fashion-mnist"] as const;

export interface Dataset {
  /** What it is and how it was made, e.g. "mnist/train|subset(2000)|random-labels". */
  name: string;
  /** n x features, row-major, pixels scaled to [0, 1] for images. */
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** Shape of one example, e.g. [28, 28, 1]. */
  shape: number[];
  classes: number;
}

export function featureSize(ds: Pick<Dataset, "shape">): number {
  return ds.shape.reduce((a, b) => a * b, 1);
}

export function makeDataset(name: string, x: Float32Array, y: Int32Array, shape: number[], classes: number): Dataset {
  const size = shape.reduce((a, b) => a * b, 1);
  if (x.length !== y.length * size) {
    throw new DataError(`${name}: ${y.length} labels but ${x.length / size} examples of shape ${shape.join("x")}`, "images and labels files must hold the same number of examples");
  }
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (!(label >= 0 && label < classes)) throw new DataError(`${name}: label ${label} at index ${i} is outside 0..${classes - 1}`);
  }
  return { name, x, y, n: y.length, shape, classes };
}

/** The examples at `indices`, in that order. */
export function select(ds: Dataset, indices: ArrayLike<number>, suffix: string): Dataset {
  const size = featureSize(ds);
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!(j >= 0 && j < ds.n)) throw new RangeError(`${ds.name}: index ${j} out of range (n = ${ds.n})`);
    x.set(ds.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = ds.y[j]!;
  }
  return { ...ds, name: `${ds.name}|${suffix}`, x, y, n: indices.length };
}

/** Counts per class, for checks and reports. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classes).fill(0);
  for (const label of ds.y) counts[label]!++;
  return counts;
}

/** Where experiments get their data: Node reads IDX files, the browser an embedded subset. */
export interface DataSource {
  /** Names this source can load, e.g. ["mnist", "fashion-mnist"]. */
  available(): Promise<string[]>;
  load(name: string, split: "train" | "test"): Promise<Dataset>;
  /**
   * A hash of the dataset's content (both splits), when the source can compute one: run ids include it, so a result
   * is never reused for other data under the same name.
   */
  fingerprint?(name: string): Promise<string>;
}
