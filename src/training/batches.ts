/** Turning dataset rows into tensors: our own seeded order, never tfjs's shuffle (which is unseeded). */
import { tf, type Tensor } from "../engine/tf.js";
import type { Rng } from "../core/rng.js";
import { featureSize, type Dataset } from "../data/dataset.js";
import { scoresLabels, type LossKind } from "../engine/loss.js";

export type TargetKind = "labels" | "inputs";

/** What a loss's batches carry as targets: class labels for the losses that score them, the inputs otherwise. */
export function targetOf(loss: LossKind): TargetKind {
  return scoresLabels(loss) ? "labels" : "inputs";
}

export interface Batch {
  /** [B, features] */
  x: Tensor;
  /** int32 labels [B], or the inputs themselves for reconstruction losses. */
  y: Tensor;
  indices: Int32Array;
}

export function makeBatch(ds: Dataset, indices: Int32Array, target: TargetKind): Batch {
  const size = featureSize(ds);
  const xs = new Float32Array(indices.length * size);
  const ys = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    xs.set(ds.x.subarray(j * size, (j + 1) * size), i * size);
    ys[i] = ds.y[j]!;
  }
  const x = tf.tensor2d(xs, [indices.length, size]);
  const y = target === "labels" ? tf.tensor1d(ys, "int32") : tf.clone(x);
  return { x, y, indices };
}

/** One epoch's batches in an order drawn from `rng`; the last partial batch is kept. */
export function epochOrder(n: number, batchSize: number, rng: Rng): Int32Array[] {
  const order = rng.permutation(n);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(order.subarray(start, Math.min(n, start + batchSize)));
  return batches;
}

/** Consecutive batches in dataset order (the last partial batch kept). */
export function sequentialOrder(n: number, batchSize: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i));
  return batches;
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.y.dispose();
}
