/** L2 projected gradient descent: steps along the normalized gradient, projection onto the L2 ball. */
import { tf, type Tensor } from "../../../engine/tf.js";
import type { Sequential } from "../../../models/sequential.js";
import type { Rng } from "../../../core/rng.js";
import { attackerGradient, FixedEpsilonAttack, projectToBall, VALID_MAX, VALID_MIN, type Criterion } from "./base.js";
import type { PgdOptions } from "./linf.js";

/** Per-example uniform draws from the L2 ball of radius epsilon (direction normal, radius eps * u^(1/d)). */
export function uniformL2Ball(shape: number[], epsilon: number, rng: Rng): Tensor {
  const [n, d] = [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
  const values = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const z = rng.normal();
      values[i * d + j] = z;
      norm += z * z;
    }
    const radius = epsilon * rng.next() ** (1 / d);
    const scale = radius / Math.sqrt(norm);
    for (let j = 0; j < d; j++) values[i * d + j]! *= scale;
  }
  return tf.tensor(values, shape);
}

export class L2Pgd extends FixedEpsilonAttack {
  readonly norm = "l2" as const;
  readonly name: string;
  readonly steps: number;
  readonly relStepsize: number;
  readonly absStepsize: number | undefined;
  readonly randomStart: boolean;
  constructor(options: PgdOptions = {}) {
    super();
    this.steps = options.steps ?? 50;
    this.relStepsize = options.relStepsize ?? 2.5 / this.steps;
    this.absStepsize = options.absStepsize;
    this.randomStart = options.randomStart ?? true;
    if (!(Number.isInteger(this.steps) && this.steps >= 1)) throw new RangeError(`L2Pgd: steps must be an integer >= 1, got ${this.steps}`);
    this.name = `L2Pgd(steps=${this.steps}, stepsize=${this.absStepsize ?? `${this.relStepsize}*eps`}, randomStart=${this.randomStart})`;
  }
  protected run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number, rng: Rng): Tensor {
    const step = this.absStepsize ?? this.relStepsize * epsilon;
    let current = this.randomStart
      ? tf.tidy(() => tf.clipByValue(tf.add(x, uniformL2Ball(x.shape, epsilon, rng)), VALID_MIN, VALID_MAX))
      : tf.clone(x);
    for (let s = 0; s < this.steps; s++) {
      const g = attackerGradient(model, current, criterion);
      const next = tf.tidy(() => {
        const norms = tf.maximum(tf.sqrt(tf.sum(tf.square(g), 1, true)), 1e-12);
        const moved = tf.add(current, tf.mul(tf.div(g, norms), step));
        return tf.clipByValue(projectToBall(x, moved, epsilon, "l2"), VALID_MIN, VALID_MAX);
      });
      tf.dispose([g, current]);
      current = next;
    }
    return current;
  }
}
