/** L-infinity attacks: FGSM (Goodfellow et al. 2015) and PGD with random start (Madry et al. 2018). */
import { tf, type Tensor } from "../../engine/tf.js";
import { signStep } from "../../engine/fused-kernels.js";
import type { Sequential } from "../../models/sequential.js";
import type { Rng } from "../../core/rng.js";
import { attackerGradient, FixedEpsilonAttack, ProjectedGradientAttack, type Criterion, type PgdOptions } from "./base.js";

export type { PgdOptions } from "./base.js";

/** x + epsilon * sign(grad): the exact worst case of a linear model under an L-infinity budget. */
export class LinfFgsm extends FixedEpsilonAttack {
  readonly norm = "linf" as const;
  readonly name = "LinfFgsm";
  protected run(model: Sequential, x: Tensor, criterion: Criterion, epsilon: number): Tensor {
    const g = attackerGradient(model, x, criterion);
    const out = signStep(x, g, epsilon);
    g.dispose();
    return out;
  }
}

/** Uniform noise in [-epsilon, epsilon] drawn from quirklab's attack stream (never an unseeded global generator or tfjs's seeds). */
export function uniformNoise(shape: number[], epsilon: number, rng: Rng): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.uniform(-epsilon, epsilon);
  return tf.tensor(values, shape);
}

export class LinfPgd extends ProjectedGradientAttack {
  readonly norm = "linf" as const;
  constructor(options: PgdOptions = {}) {
    super("LinfPgd", options, 40);
  }
  protected startNoise(shape: number[], epsilon: number, rng: Rng): Tensor {
    return uniformNoise(shape, epsilon, rng);
  }
  protected ascend(current: Tensor, gradient: Tensor, size: number): Tensor {
    return signStep(current, gradient, size);
  }
}
