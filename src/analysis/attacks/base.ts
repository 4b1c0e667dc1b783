/**
 * Attacks in foolbox's shape: hyperparameters in the constructor, then `attack.call(model, x, criterion, epsilons)`
 * returns, per epsilon, the raw output, the output clipped to the epsilon-ball and to the valid [0, 1] box, and
 * whether each clipped example succeeds — re-evaluated on the model, never taken from the attack's word.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Sequential } from "../../models/sequential.js";
import type { Rng } from "../../core/rng.js";
import { inputGradient } from "../../engine/gradients.js";

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
  const { grad } = inputGradient(model, x, labels, "softmax-ce", "sum");
  labels.dispose();
  if (criterion.kind !== "targeted") return grad;
  const ascent = tf.neg(grad);
  grad.dispose();
  return ascent;
}

export interface PgdOptions {
  steps?: number;
  /** Step size as a fraction of epsilon; ignored when absStepsize is set. Default 2.5 / steps (Madry et al. 2018). */
  relStepsize?: number;
  absStepsize?: number;
  randomStart?: boolean;
}

/**
 * Projected gradient ascent inside the epsilon-ball: a random start, then `steps` steps along the norm's steepest
 * direction, each followed by projection onto the ball and the box. Subclasses give the direction and the start.
 */
export abstract class ProjectedGradientAttack extends FixedEpsilonAttack {
  readonly name: string;
  readonly steps: number;
  readonly relStepsize: number;
  readonly absStepsize: number | undefined;
  readonly randomStart: boolean;

  constructor(kind: string, options: PgdOptions, defaultSteps: number) {
    super();
    this.steps = options.steps ?? defaultSteps;
    if (!(Number.isInteger(this.steps) && this.steps >= 1)) throw new RangeError(`${kind}: steps must be an integer >= 1, got ${this.steps}`);
    // 2.5 * eps / steps lets the iterates cross the whole ball more than once (Madry et al. 2018), whatever the step count
    this.relStepsize = options.relStepsize ?? 2.5 / this.steps;
    this.absStepsize = options.absStepsize;
    this.randomStart = options.randomStart ?? true;
    this.name = `${kind}(steps=${this.steps}, stepsize=${this.absStepsize ?? `${this.relStepsize.toFixed(4)}*eps`}, randomStart=${this.randomStart})`;
  }

  /** A random point of the ball around the origin, per example, from the attack stream. */
  protected abstract startNoise(shape: number[], epsilon: number, rng: Rng): Tensor;
  /** current + size x the norm's steepest unit direction for a gradient (its sign for L-infinity, normalized for L2). */
  protected abstract ascend(current: Tensor, gradient: Tensor, size: number): Tensor;

  protected run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number, rng: Rng): Tensor {
    const step = this.absStepsize ?? this.relStepsize * epsilon;
    let current = this.randomStart
      ? tf.tidy(() => tf.clipByValue(tf.add(x, this.startNoise(x.shape, epsilon, rng)), VALID_MIN, VALID_MAX))
      : tf.clone(x);
    for (let s = 0; s < this.steps; s++) {
      const g = attackerGradient(model, current, criterion);
      const next = tf.tidy(() =>
        tf.clipByValue(projectToBall(x, this.ascend(current, g, step), epsilon, this.norm), VALID_MIN, VALID_MAX),
      );
      tf.dispose([g, current]);
      current = next;
    }
    return current;
  }
}
