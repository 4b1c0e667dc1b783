/** Loss and accuracy of a model on a dataset, in evaluation mode, in memory-bounded chunks. */
import { tf } from "../engine/tf.js";
import { lossValue, scoresLabels, type LossKind } from "../engine/loss.js";
import type { Sequential } from "../models/sequential.js";
import type { Dataset } from "../data/dataset.js";
import { makeBatch, disposeBatch, targetOf } from "./batches.js";

export interface Evaluation {
  loss: number;
  /** Fraction of argmax predictions equal to the label (NaN for reconstruction losses). */
  accuracy: number;
  n: number;
}

export function evaluate(model: Sequential, ds: Dataset, loss: LossKind = "softmax-ce", chunk = 1000, heads?: Heads): Evaluation {
  const labelled = scoresLabels(loss);
  const target = targetOf(loss);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < ds.n; start += chunk) {
    const count = Math.min(chunk, ds.n - start);
    const indices = Int32Array.from({ length: count }, (_, i) => start + i);
    const batch = makeBatch(ds, indices, target);
    const [l, c] = tf.tidy(() => {
      const logits = heads ? tf.add(model.predict(batch.x), headMask(model.numOutputs, heads, ds.y.subarray(start, start + count))) : model.predict(batch.x);
      const value = lossValue(loss, logits, batch.y).dataSync()[0]!;
      const hits = labelled ? tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.y), "int32")).dataSync()[0]! : 0;
      return [value, hits];
    });
    disposeBatch(batch);
    lossSum += l * count;
    correct += c;
  }
  return { loss: lossSum / ds.n, accuracy: labelled ? correct / ds.n : Number.NaN, n: ds.n };
}

/** Disjoint groups of classes, one output head each (task-incremental learning: a task's classes are its head). */
export type Heads = readonly (readonly number[])[];

/**
 * Per-example multi-head masks, [labels, classes]: 0 on the classes of the head that holds the example's label, -1e9
 * elsewhere; added to the logits, softmax, loss and argmax see only that head (the task label is known, as in
 * task-incremental learning). A label in no head keeps every class. The caller disposes the tensor.
 */
export function headMask(classes: number, heads: Heads, labels: ArrayLike<number>): tf.Tensor2D {
  const headOf = new Int32Array(classes).fill(-1);
  heads.forEach((head, h) => {
    for (const c of head) {
      if (!Number.isInteger(c) || c < 0 || c >= classes) throw new RangeError(`class ${c} is not one of the model's ${classes} outputs`);
      if (headOf[c] !== -1) throw new RangeError(`class ${c} is in two heads`);
      headOf[c] = h;
    }
  });
  const values = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const h = headOf[labels[i]!]!;
    if (h < 0) continue;
    const row = values.subarray(i * classes, (i + 1) * classes);
    row.fill(-1e9);
    for (const c of heads[h]!) row[c] = 0;
  }
  return tf.tensor2d(values, [labels.length, classes]);
}

/** Fraction of examples on which two models predict the same class. */
export function predictionAgreement(a: Sequential, b: Sequential, ds: Dataset): number {
  const pa = predictClasses(a, ds);
  const pb = predictClasses(b, ds);
  let same = 0;
  for (let i = 0; i < pa.length; i++) if (pa[i] === pb[i]) same++;
  return same / pa.length;
}

/** Predicted classes for every example. */
export function predictClasses(model: Sequential, ds: Dataset, chunk = 1000): Int32Array {
  const out = new Int32Array(ds.n);
  for (let start = 0; start < ds.n; start += chunk) {
    const count = Math.min(chunk, ds.n - start);
    const batch = makeBatch(ds, Int32Array.from({ length: count }, (_, i) => start + i), "labels");
    const pred = tf.tidy(() => tf.argMax(model.predict(batch.x), 1));
    out.set(pred.dataSync() as Int32Array, start);
    pred.dispose();
    disposeBatch(batch);
  }
  return out;
}

/** Softmax outputs for every example (n x classes, row-major), evaluation mode, in one batch. */
export function predictProbabilities(model: Sequential, ds: Dataset): Float32Array {
  const batch = makeBatch(ds, Int32Array.from({ length: ds.n }, (_, i) => i), "labels");
  try {
    return tf.tidy(() => Float32Array.from(tf.softmax(model.predict(batch.x)).dataSync()));
  } finally {
    disposeBatch(batch);
  }
}
