/**
 * Attacks in foolbox's shape: hyperparameters in the constructor, then `attack.call(model, x, criterion, epsilons)`
 * returns, per epsilon, the raw output, the output clipped to the epsilon-ball and to the valid [0, 1] box, and
 * whether each clipped example succeeds — re-evaluated on the model, never taken from the attack's word.
 */
import { tf, type Tensor } from "../../../engine/tf.js";
import type { Sequential } from "../../../models/sequential.js";
import type { Rng } from "../../../core/rng.js";

export type Norm = "linf" | "l2";

/** What counts as success: any wrong label (untargeted), or a chosen label (targeted). */
export type Criterion = { kind: "misclassification"; labels: Int32Array } | { kind: "targeted"; targets: Int32Array };

export interface AttackResult {
  epsilon: number;
  /** What the attack produced (caller disposes). */
  raw: Tensor;
  /** raw projected onto the epsilon-ball around x and into [0, 1] (caller disposes). */
  clipped: Tensor;
  success: Uint8Array;
}

export const VALID_MIN = 0;
export const VALID_MAX = 1;

/** The labels the loss is computed against: the true ones (to ascend) or the targets (to descend). */
export function criterionLabels(criterion: Criterion): Int32Array {
  return criterion.kind === "misclassification" ? criterion.labels : criterion.targets;
}

/** Projects `candidate` onto the `norm` ball of radius epsilon around x (per example, rows of [N, features]). */
export function projectToBall(x: Tensor, candidate: Tensor, epsilon: number, norm: Norm): Tensor {
  return tf.tidy(() => {
    const delta = tf.sub(candidate, x);
    if (norm === "linf") return tf.add(x, tf.clipByValue(delta, -epsilon, epsilon));
    const norms = tf.sqrt(tf.sum(tf.square(delta), 1, true));
    const factor = tf.minimum(1, tf.div(epsilon, tf.maximum(norms, 1e-12)));
    return tf.add(x, tf.mul(delta, factor));
  });
}

/** 1 where the model's prediction on `inputs` satisfies the criterion. */
export function isSuccessful(model: Sequential, inputs: Tensor, criterion: Criterion): Uint8Array {
  const predicted = tf.tidy(() => tf.argMax(model.predict(inputs), 1));
  const classes = predicted.dataSync() as Int32Array;
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    out[i] = criterion.kind === "misclassification" ? Number(classes[i] !== criterion.labels[i]) : Number(classes[i] === criterion.targets[i]);
  }
  predicted.dispose();
  return out;
}

export abstract class FixedEpsilonAttack {
  abstract readonly norm: Norm;
  abstract readonly name: string;

  /** The attack proper: a candidate for one epsilon (may ignore the box; the base class clips). */
  protected abstract run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number, rng: Rng): Tensor;

  call(model: Sequential, x: Tensor, criterion: Criterion, epsilons: number[], rng: Rng): AttackResult[] {
    const n = x.shape[0]!;
    const labels = criterionLabels(criterion);
    if (labels.length !== n) throw new RangeError(`${this.name}: ${n} inputs but ${labels.length} labels`);
    return epsilons.map((epsilon) => {
      if (!(epsilon >= 0)) throw new RangeError(`${this.name}: epsilon must be >= 0, got ${epsilon}`);
      const raw = epsilon === 0 ? tf.clone(x) : this.run(model, x, criterion, epsilon, rng);
      // Clip again whatever the attack returned: we do not trust it to respect the ball or the box.
      const clipped = tf.tidy(() => tf.clipByValue(projectToBall(x, raw, epsilon, this.norm), VALID_MIN, VALID_MAX));
      return { epsilon, raw, clipped, success: isSuccessful(model, clipped, criterion) };
    });
  }

  toString(): string {
    return this.name;
  }
}

/**
 * The gradient that increases the attacker's objective: the loss's own gradient for untargeted attacks, its negative
 * for targeted ones (which descend the loss of the target class). Per example (summed loss, not the batch mean).
 */
export function attackerGradient(model: Sequential, x: Tensor, criterion: Criterion): Tensor {
  const labels = tf.tensor1d(criterionLabels(criterion), "int32");
  const grad = tf.tidy(() => {
    const g = tf.grad((input: Tensor) => {
      const logits = model.predict(input);
      const logp = tf.sub(logits, tf.logSumExp(logits, 1, true));
      return tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]!), logp))) as tf.Scalar;
    })(x);
    return criterion.kind === "targeted" ? tf.neg(g) : g;
  });
  labels.dispose();
  return grad;
}
