/** L2 projected gradient descent: steps along the normalized gradient, projection onto the L2 ball. */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import { ProjectedGradientAttack, type PgdOptions } from "./base.js";

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
    const scale = (epsilon * rng.next() ** (1 / d)) / Math.sqrt(norm);
    for (let j = 0; j < d; j++) values[i * d + j]! *= scale;
  }
  return tf.tensor(values, shape);
}

export class L2Pgd extends ProjectedGradientAttack {
  readonly norm = "l2" as const;
  constructor(options: PgdOptions = {}) {
    super("L2Pgd", options, 50);
  }
  protected startNoise(shape: number[], epsilon: number, rng: Rng): Tensor {
    return uniformL2Ball(shape, epsilon, rng);
  }
  protected ascend(current: Tensor, gradient: Tensor, size: number): Tensor {
    const direction = tf.div(gradient, tf.maximum(tf.sqrt(tf.sum(tf.square(gradient), 1, true)), 1e-12));
    return tf.add(current, tf.mul(direction, size));
  }
}
