/**
 * Random ReLU features phi(x) = max(0, W x + b) with W and b drawn once and never trained (Rahimi & Recht's random
 * features with a ReLU, as in Belkin et al. 2019): the model's only trained part is a linear readout, so its number
 * of parameters per output is exactly the number of features N, and the interpolation threshold sits at N = n.
 *
 * Features are nested: the first N of a draw of N_max are the model with N features, so a sweep over N moves along one
 * family instead of redrawing every point.
 */
import { tf } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";

export interface RandomReluFeatures {
  /** count x inputs, row-major. */
  weights: Float32Array;
  bias: Float32Array;
  count: number;
  inputs: number;
}

/** W_ij ~ N(0, weightScale^2 / inputs), b_j ~ N(0, biasScale^2). */
export function drawRandomReluFeatures(count: number, inputs: number, rng: Rng, scales: { weight: number; bias: number }): RandomReluFeatures {
  const weights = new Float32Array(count * inputs);
  const sd = scales.weight / Math.sqrt(inputs);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.normal(0, sd);
  const bias = new Float32Array(count);
  for (let j = 0; j < count; j++) bias[j] = rng.normal(0, scales.bias);
  return { weights, bias, count, inputs };
}

/** The features of `rows` examples (x: rows x inputs), rows x count, row-major; computed by the engine in chunks. */
export function featuresOf(features: RandomReluFeatures, x: Float32Array, rows: number, chunk = 1000): Float32Array {
  if (x.length !== rows * features.inputs) throw new RangeError(`featuresOf: ${x.length} values for ${rows} rows of ${features.inputs}`);
  const out = new Float32Array(rows * features.count);
  const w = tf.tensor2d(features.weights, [features.count, features.inputs]);
  const b = tf.tensor1d(features.bias);
  try {
    for (let start = 0; start < rows; start += chunk) {
      const end = Math.min(rows, start + chunk);
      const values = tf.tidy(() => {
        const xs = tf.tensor2d(x.subarray(start * features.inputs, end * features.inputs), [end - start, features.inputs]);
        return tf.relu(tf.add(tf.matMul(xs, w, false, true), b)).dataSync() as Float32Array;
      });
      out.set(values, start * features.count);
    }
  } finally {
    w.dispose();
    b.dispose();
  }
  return out;
}
