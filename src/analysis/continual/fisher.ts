/**
 * The diagonal of the Fisher information of a classifier, from per-example gradients (squaring a batch-averaged
 * gradient underestimates it: docs/criteria.md §7 pitfalls). "sampled" draws each example's label from the model's
 * own predictive distribution (the true Fisher, as Kirkpatrick et al.); "empirical" uses the dataset's label.
 */
import { tf } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import { featureSize } from "../../data/dataset.js";
import { parameterGradients } from "../../engine/gradients.js";
import { lossValue } from "../../engine/loss.js";
import { headMask, type Heads } from "../../training/evaluate.js";
import type { Sequential } from "../../models/sequential.js";

export type FisherKind = "sampled" | "empirical";

/**
 * Mean over the first `count` examples of the squared per-example log-likelihood gradient, one value per parameter.
 * With `heads` (a multi-head network), each example's likelihood is its own head's softmax, as in training.
 */
export function diagonalFisher(model: Sequential, data: Dataset, count: number, kind: FisherKind, rng: Rng, heads?: Heads): Float32Array {
  const n = Math.min(count, data.n);
  const size = featureSize(data);
  const params = model.params();
  const sums = params.map((p) => new Float64Array(p.variable.size));
  for (let i = 0; i < n; i++) {
    const x = tf.tensor2d(data.x.subarray(i * size, (i + 1) * size), [1, size]);
    let label = data.y[i]!;
    // the head is the true label's, whatever label is sampled within it
    const mask = heads ? headMask(model.numOutputs, heads, [label]) : null;
    if (kind === "sampled") {
      const probs = tf.tidy(() => tf.softmax(mask ? tf.add(model.predict(x), mask) : model.predict(x)).dataSync());
      label = sampleIndex(probs, rng.next());
    }
    const y = tf.tensor1d([label], "int32");
    const grads = mask
      ? tf.tidy(() => {
          const params = model.params().map((p) => p.variable);
          const { value, grads: g } = tf.variableGrads(() => lossValue("softmax-ce", tf.add(model.forward(x, { training: false }), mask), y) as tf.Scalar, params);
          value.dispose();
          return params.map((p) => g[p.name]!);
        })
      : parameterGradients(model, x, y, "softmax-ce").grads;
    mask?.dispose();
    grads.forEach((g, k) => {
      const values = g.dataSync();
      const sum = sums[k]!;
      for (let j = 0; j < values.length; j++) sum[j]! += values[j]! * values[j]!;
    });
    tf.dispose([x, y, ...grads]);
  }
  const out = new Float32Array(sums.reduce((t, s) => t + s.length, 0));
  let offset = 0;
  for (const s of sums) {
    for (let j = 0; j < s.length; j++) out[offset + j] = s[j]! / n;
    offset += s.length;
  }
  return out;
}

function sampleIndex(probs: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let k = 0; k < probs.length; k++) {
    acc += probs[k]!;
    if (u < acc) return k;
  }
  return probs.length - 1;
}
