/** Figures every adversarial measurement reports (the adversarial experiments, `quirklab inspect`), computed on the model (never taken from an attack's word). */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Sequential } from "../../models/sequential.js";
import type { Rng } from "../../core/rng.js";
import { featureSize, select, type Dataset } from "../../data/dataset.js";

export interface Outcome {
  /** Fraction of examples misclassified. */
  error: number;
  /** Mean max softmax probability over the misclassified examples (NaN when none is). */
  wrongConfidence: number;
  predictions: Int32Array;
  /** The max softmax probability per example (the confidence of whatever was predicted). */
  confidences: Float32Array;
}

export function outcome(model: Sequential, inputs: Tensor, labels: Int32Array): Outcome {
  const [probs, classes] = tf.tidy(() => {
    const p = tf.softmax(model.predict(inputs));
    return [tf.max(p, 1), tf.argMax(p, 1)];
  });
  const confidence = probs.dataSync();
  const predictions = Int32Array.from(classes.dataSync());
  tf.dispose([probs, classes]);
  let wrong = 0;
  let confidenceSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predictions[i] !== labels[i]) {
      wrong++;
      confidenceSum += confidence[i]!;
    }
  }
  return { error: wrong / labels.length, wrongConfidence: wrong ? confidenceSum / wrong : Number.NaN, predictions, confidences: Float32Array.from(confidence) };
}

/** The control of the FGSM papers: random +-epsilon signs per pixel (same L-infinity size), clipped to [0, 1]. */
export function randomSignNoise(x: Tensor, epsilon: number, rng: Rng): Tensor {
  const signs = new Float32Array(x.size);
  for (let i = 0; i < signs.length; i++) signs[i] = rng.next() < 0.5 ? -epsilon : epsilon;
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor(signs, x.shape)), 0, 1));
}

/** Examples per attack call: bounds the memory of CNN activations and gradients. */
export const ATTACK_CHUNK = 500;

/** The first `count` examples of a dataset: the attacked digits (the test subset is already a seeded draw). */
export function firstExamples(ds: Dataset, count: number, suffix = "attacked"): Dataset {
  return select(ds, Int32Array.from({ length: Math.min(count, ds.n) }, (_, i) => i), suffix);
}

/** Runs `fn` on consecutive chunks of a dataset as [count, features] tensors (disposed after each call). */
export async function forEachChunk(
  ds: Dataset,
  chunk: number,
  fn: (x: Tensor, labels: Int32Array, start: number) => void | Promise<void>,
): Promise<void> {
  const size = featureSize(ds);
  for (let start = 0; start < ds.n; start += chunk) {
    const count = Math.min(chunk, ds.n - start);
    const x = tf.tensor2d(ds.x.subarray(start * size, (start + count) * size), [count, size]);
    try {
      await fn(x, ds.y.slice(start, start + count), start);
    } finally {
      x.dispose();
    }
  }
}
