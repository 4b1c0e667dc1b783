/**
 * Optimizers written over quirklab's parameters rather than tfjs's, so the learning rate can follow any schedule,
 * weight decay is explicit, and the update is the textbook one (PyTorch conventions, stated per optimizer).
 */
import { tf, type Tensor } from "../engine/tf.js";
import type { Param } from "../engine/module.js";
import { scaledSubtract } from "../engine/fused-kernels.js";
import type { TrainConfig } from "./schema.js";

export interface Optimizer {
  /** Applies one update; consumes nothing (caller disposes grads). */
  step(params: Param[], grads: Tensor[], lr: number): void;
  dispose(): void;
}

export function createOptimizer(cfg: TrainConfig): Optimizer {
  switch (cfg.optimizer) {
    case "sgd":
      return new Sgd(0, false, cfg.weightDecay);
    case "momentum":
      return new Sgd(cfg.momentum, false, cfg.weightDecay);
    case "nesterov":
      return new Sgd(cfg.momentum, true, cfg.weightDecay);
    case "adam":
      return new Adam(cfg.beta1, cfg.beta2, cfg.epsilon, cfg.weightDecay, false);
    case "adamw":
      return new Adam(cfg.beta1, cfg.beta2, cfg.epsilon, cfg.weightDecay, true);
  }
}

/** SGD with optional (Nesterov) momentum, PyTorch style: v = mu v + g; w -= lr v (Nesterov: w -= lr (g + mu v)). */
class Sgd implements Optimizer {
  private velocity: tf.Variable[] | null = null;
  constructor(
    private readonly momentum: number,
    private readonly nesterov: boolean,
    private readonly weightDecay: number,
  ) {}
  step(params: Param[], grads: Tensor[], lr: number): void {
    if (this.momentum > 0 && !this.velocity) this.velocity = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    tf.tidy(() => {
      params.forEach((p, i) => {
        let g = grads[i]!;
        if (this.weightDecay > 0) g = tf.add(g, tf.mul(p.variable, this.weightDecay));
        if (this.velocity) {
          const v = this.velocity[i]!;
          const next = tf.add(tf.mul(v, this.momentum), g);
          v.assign(next);
          g = this.nesterov ? tf.add(g, tf.mul(next, this.momentum)) : next;
        }
        p.variable.assign(scaledSubtract(p.variable, g, lr));
      });
    });
  }
  dispose(): void {
    this.velocity?.forEach((v) => v.dispose());
  }
}

/** Adam (Kingma & Ba) with bias correction; L2 added to the gradient, or decoupled weight decay for AdamW. */
class Adam implements Optimizer {
  private m: tf.Variable[] | null = null;
  private v: tf.Variable[] | null = null;
  private t = 0;
  constructor(
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    private readonly weightDecay: number,
    private readonly decoupled: boolean,
  ) {}
  step(params: Param[], grads: Tensor[], lr: number): void {
    if (!this.m || !this.v) {
      this.m = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
      this.v = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    }
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    const m = this.m;
    const v = this.v;
    tf.tidy(() => {
      params.forEach((p, i) => {
        let g = grads[i]!;
        if (this.weightDecay > 0 && !this.decoupled) g = tf.add(g, tf.mul(p.variable, this.weightDecay));
        const mi = tf.add(tf.mul(m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const vi = tf.add(tf.mul(v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m[i]!.assign(mi);
        v[i]!.assign(vi);
        let update = tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(vi, c2)), this.epsilon));
        if (this.weightDecay > 0 && this.decoupled) update = tf.add(update, tf.mul(p.variable, this.weightDecay));
        p.variable.assign(scaledSubtract(p.variable, update, lr));
      });
    });
  }
  dispose(): void {
    this.m?.forEach((x) => x.dispose());
    this.v?.forEach((x) => x.dispose());
  }
}
