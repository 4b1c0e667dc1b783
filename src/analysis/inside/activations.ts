/**
 * Looking inside any Sequential model: the output of a layer for a whole dataset, and the dataset examples that
 * excite a unit — or any direction in a layer's space — the most (Deep Visualization Toolbox's top-k view;
 * Szegedy et al.'s units vs random directions).
 */
import { tf } from "../../engine/tf.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { makeBatch, disposeBatch } from "../../training/batches.js";

/** Index of a layer by name, or of the last layer of a kind ("Activation": the last hidden representation). */
export function findLayer(model: Sequential, nameOrLast: string): number {
  const byName = model.layers.findIndex((l) => l.name === nameOrLast);
  if (byName >= 0) return byName;
  const match = nameOrLast.match(/^last:(\w+)$/);
  if (match) {
    for (let i = model.layers.length - 1; i >= 0; i--) if (model.layers[i]!.kind === match[1]) return i;
  }
  throw new RangeError(`no layer "${nameOrLast}" in ${model.toString()} (use a layer name or last:<Kind>, e.g. last:Activation)`);
}

/** The output of layer `index` for every example (evaluation mode), flattened per example: n x width, row-major. */
export function layerActivations(model: Sequential, data: Dataset, index: number, chunk = 1000): { values: Float32Array; width: number } {
  let values: Float32Array | null = null;
  let width = 0;
  for (let start = 0; start < data.n; start += chunk) {
    const count = Math.min(chunk, data.n - start);
    const batch = makeBatch(data, Int32Array.from({ length: count }, (_, i) => start + i), "labels");
    const outputs = model.layerOutputs(batch.x);
    try {
      const out = outputs[index]!.output;
      width = out.size / count;
      values ??= new Float32Array(data.n * width);
      // a tensor's data is row-major whatever its shape: no reshape is needed to read it flat (and on the native
      // backend, reading through a reshaped tensor cost ten times the forward pass)
      values.set(out.dataSync() as Float32Array, start * width);
    } finally {
      tf.dispose(outputs.map((o) => o.output));
      disposeBatch(batch);
    }
  }
  return { values: values ?? new Float32Array(0), width };
}

/** Indices of the k rows with the largest projection onto `direction` (ties: the earlier row first). */
export function topKByDirection(values: Float32Array, width: number, direction: Float32Array | number[], k: number): Int32Array {
  const n = values.length / width;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < width; j++) s += values[i * width + j]! * direction[j]!;
    scores[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return Int32Array.from(order.slice(0, Math.min(k, n)));
}

/** The k examples that excite unit `unit` the most. */
export function topKForUnit(values: Float32Array, width: number, unit: number, k: number): Int32Array {
  const e = new Float32Array(width);
  e[unit] = 1;
  return topKByDirection(values, width, e, k);
}

/** Fraction of the examples that carry their most common label. */
export function labelPurity(labels: ArrayLike<number>, indices: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < indices.length; i++) {
    const y = labels[indices[i]!]!;
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values()) / Math.max(1, indices.length);
}
