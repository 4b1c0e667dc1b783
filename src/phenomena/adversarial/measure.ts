/** Figures every adversarial experiment reports, computed on the model (never taken from an attack's word). */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Sequential } from "../../models/sequential.js";
import type { Rng } from "../../core/rng.js";

export interface Outcome {
  /** Fraction of examples misclassified. */
  error: number;
  /** Mean max softmax probability over the misclassified examples (NaN when none is). */
  wrongConfidence: number;
  predictions: Int32Array;
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
  return { error: wrong / labels.length, wrongConfidence: wrong ? confidenceSum / wrong : Number.NaN, predictions };
}

/** The control of the FGSM papers: random +-epsilon signs per pixel (same L-infinity size), clipped to [0, 1]. */
export function randomSignNoise(x: Tensor, epsilon: number, rng: Rng): Tensor {
  const signs = new Float32Array(x.size);
  for (let i = 0; i < signs.length; i++) signs[i] = rng.next() < 0.5 ? -epsilon : epsilon;
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor(signs, x.shape)), 0, 1));
}
