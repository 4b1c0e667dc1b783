/**
 * Which pixels the output is most sensitive to: vanilla-gradient saliency (Simonyan et al. 2014) — the gradient of a
 * class logit with respect to the input — and SmoothGrad (Smilkov et al. 2017), its average over noisy copies of the
 * input, which removes much of the gradient's visual noise. Logits, not softmax probabilities: a probability can rise
 * by suppressing the other classes.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";

/** The class per example whose logit is explained: given, or the model's own prediction. */
export type SaliencyTarget = Int32Array | "predicted";

function targetClasses(model: Sequential, x: Tensor, target: SaliencyTarget): Int32Array {
  if (target !== "predicted") {
    if (target.length !== x.shape[0]) throw new RangeError(`saliency: ${x.shape[0]} inputs but ${target.length} target classes`);
    return target;
  }
  return tf.tidy(() => Int32Array.from(tf.argMax(model.predict(x), 1).dataSync()));
}

/** d logit[target] / d input for every example (rows like x); caller disposes. */
export function gradientSaliency(model: Sequential, x: Tensor, target: SaliencyTarget = "predicted"): Tensor {
  const classes = targetClasses(model, x, target);
  const mask = tf.oneHot(tf.tensor1d(classes, "int32"), model.numOutputs);
  try {
    // the sum over examples keeps each example's gradient its own (examples do not interact in evaluation mode)
    return tf.grad((input: Tensor) => tf.sum(tf.mul(model.predict(input), mask)))(x);
  } finally {
    mask.dispose();
  }
}

/**
 * SmoothGrad: the mean gradient saliency over `samples` copies of x with Gaussian noise of sd `noise` x (max - min of
 * the input range, [0, 1] for images); the target class is fixed on the clean input. Noise from the caller's stream.
 */
export function smoothGrad(model: Sequential, x: Tensor, rng: Rng, options: { samples?: number; noise?: number; target?: SaliencyTarget } = {}): Tensor {
  const samples = options.samples ?? 50;
  const sd = options.noise ?? 0.15;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`smoothGrad: samples must be an integer >= 1, got ${samples}`);
  const classes = targetClasses(model, x, options.target ?? "predicted");
  let sum = tf.zerosLike(x);
  for (let s = 0; s < samples; s++) {
    const noise = Float32Array.from({ length: x.size }, () => rng.normal(0, sd));
    const noisy = tf.tidy(() => tf.add(x, tf.tensor(noise, x.shape)));
    const g = gradientSaliency(model, noisy, classes);
    const next = tf.add(sum, g);
    tf.dispose([noisy, g, sum]);
    sum = next;
  }
  const mean = tf.div(sum, samples);
  sum.dispose();
  return mean;
}
