/**
 * Sharpness-aware minimization (Foret, Kleiner, Mobahi & Neyshabur 2021) as a training plugin: each step's gradient
 * is replaced by the gradient taken at the worst nearby point of the batch loss to first order,
 * w + rho * g / ||g||, so the optimizer descends on max over ||e|| <= rho of L(w + e). Costs a second forward and
 * backward pass per step. Put it last among the plugins: it recomputes the data loss on the batch the loop trains
 * on (extra loss terms of other plugins are not part of the perturbed gradient), in training mode without dropout.
 */
import { tf, type Tensor } from "../engine/tf.js";
import { lossValue } from "../engine/loss.js";
import type { Batch } from "./batches.js";
import type { TrainPlugin } from "./loop.js";

export function samPlugin(rho: number): TrainPlugin {
  if (!(rho > 0)) throw new RangeError(`SAM's rho must be > 0, got ${rho}`);
  let batch: Batch | undefined;
  return {
    name: "sam",
    beforeBatch(_state, b) {
      batch = b;
    },
    transformGradients(state, grads) {
      if (!batch) return;
      const params = state.model.params();
      let sq = tf.scalar(0);
      for (const g of grads) sq = tf.add(sq, tf.sum(tf.square(g)));
      const norm = Math.sqrt(sq.dataSync()[0]!);
      if (!(norm > 0)) return;
      const saved = params.map((p) => tf.clone(p.variable));
      try {
        params.forEach((p, i) => p.variable.assign(tf.add(p.variable, tf.mul(grads[i]!, rho / norm))));
        const current = batch;
        const { grads: perturbed } = tf.variableGrads(
          () => lossValue(state.config.loss, state.model.forward(current.x, { training: true }), current.y) as tf.Scalar,
          params.map((p) => p.variable),
        );
        return params.map((p) => perturbed[p.variable.name]! as Tensor);
      } finally {
        params.forEach((p, i) => p.variable.assign(saved[i]!));
      }
    },
  };
}
