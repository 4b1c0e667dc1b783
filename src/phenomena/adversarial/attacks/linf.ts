/** L-infinity attacks: FGSM (Goodfellow et al. 2015) and PGD with random start (Madry et al. 2018). */
import { tf, type Tensor } from "../../../engine/tf.js";
import type { Sequential } from "../../../models/sequential.js";
import type { Rng } from "../../../core/rng.js";
import { attackerGradient, FixedEpsilonAttack, projectToBall, VALID_MAX, VALID_MIN, type Criterion } from "./base.js";

/** x + epsilon * sign(grad): the exact worst case of a linear model under an L-infinity budget. */
export class LinfFgsm extends FixedEpsilonAttack {
  readonly norm = "linf" as const;
  readonly name = "LinfFgsm";
  protected run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number): Tensor {
    const g = attackerGradient(model, x, criterion);
    const out = tf.tidy(() => tf.add(x, tf.mul(tf.sign(g), epsilon)));
    g.dispose();
    return out;
  }
}

export interface PgdOptions {
  steps?: number;
  /** Step size as a fraction of epsilon; ignored when absStepsize is set. Default 2.5 / steps (Madry et al. 2018). */
  relStepsize?: number;
  absStepsize?: number;
  randomStart?: boolean;
}

/** Uniform noise in [-epsilon, epsilon] drawn from quirklab's attack stream (never Math.random or tfjs's seeds). */
export function uniformNoise(shape: number[], epsilon: number, rng: Rng): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.uniform(-epsilon, epsilon);
  return tf.tensor(values, shape);
}

export class LinfPgd extends FixedEpsilonAttack {
  readonly norm = "linf" as const;
  readonly name: string;
  readonly steps: number;
  readonly relStepsize: number;
  readonly absStepsize: number | undefined;
  readonly randomStart: boolean;
  constructor(options: PgdOptions = {}) {
    super();
    this.steps = options.steps ?? 40;
    // 2.5 * eps / steps lets the iterates cross the whole ball more than once (Madry et al. 2018), whatever the step count
    this.relStepsize = options.relStepsize ?? 2.5 / this.steps;
    this.absStepsize = options.absStepsize;
    this.randomStart = options.randomStart ?? true;
    if (!(Number.isInteger(this.steps) && this.steps >= 1)) throw new RangeError(`LinfPgd: steps must be an integer >= 1, got ${this.steps}`);
    this.name = `LinfPgd(steps=${this.steps}, stepsize=${this.absStepsize ?? `${this.relStepsize.toFixed(4)}*eps`}, randomStart=${this.randomStart})`;
  }
  protected run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number, rng: Rng): Tensor {
    const step = this.absStepsize ?? this.relStepsize * epsilon;
    let current = this.randomStart
      ? tf.tidy(() => tf.clipByValue(tf.add(x, uniformNoise(x.shape, epsilon, rng)), VALID_MIN, VALID_MAX))
      : tf.clone(x);
    for (let s = 0; s < this.steps; s++) {
      const g = attackerGradient(model, current, criterion);
      const next = tf.tidy(() => tf.clipByValue(projectToBall(x, tf.add(current, tf.mul(tf.sign(g), step)), epsilon, "linf"), VALID_MIN, VALID_MAX));
      tf.dispose([g, current]);
      current = next;
    }
    return current;
  }
}
