/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015): the student matches the teacher's softened output
 * distribution at temperature T. The soft term's gradient scales as 1/T^2, so it is multiplied by T^2 to keep its
 * weight when T changes; the hard-label term keeps a smaller weight.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { TrainPlugin } from "../../training/loop.js";
import { lossValue } from "../../engine/loss.js";

/** T^2 * mean over examples of the cross-entropy between softmax(teacher / T) and softmax(student / T). */
export function softTargetLoss(studentLogits: Tensor, teacherLogits: Tensor, temperature: number): Tensor {
  return tf.tidy(() => {
    const target = tf.softmax(tf.div(teacherLogits, temperature));
    const logq = tf.logSoftmax(tf.div(studentLogits, temperature));
    return tf.mul(tf.neg(tf.mean(tf.sum(tf.mul(target, logq), 1))), temperature * temperature);
  });
}

/**
 * Adds softWeight * T^2 * soft loss to the loop's hard-label loss, and scales the hard loss to `hardWeight` (the
 * loop always adds it with weight 1; the plugin adds (hardWeight - 1) of it). Teacher logits are precomputed for
 * the whole transfer set (evaluation mode, no dropout) and looked up by the batch's dataset indices.
 */
export function distillPlugin(teacherLogits: Float32Array, classes: number, options: { temperature: number; hardWeight: number; softWeight?: number }): TrainPlugin {
  const { temperature, hardWeight } = options;
  const softWeight = options.softWeight ?? 1;
  return {
    name: "distill",
    lossTerms(_state, batch, logits) {
      const rows = new Float32Array(batch.indices.length * classes);
      batch.indices.forEach((j, i) => rows.set(teacherLogits.subarray(j * classes, (j + 1) * classes), i * classes));
      const teacher = tf.tensor2d(rows, [batch.indices.length, classes]);
      const terms = [tf.mul(softTargetLoss(logits, teacher, temperature), softWeight)];
      if (hardWeight !== 1) terms.push(tf.mul(lossValue("softmax-ce", logits, batch.y), hardWeight - 1));
      return terms;
    },
  };
}
