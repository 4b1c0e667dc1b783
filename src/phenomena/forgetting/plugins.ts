/**
 * Continual-learning strategies as training-loop plugins (Avalanche's design): a quadratic anchor penalty (EWC with
 * Fisher importances, or plain L2 with unit importances) and experience replay from a reservoir buffer.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";
import type { TrainPlugin } from "../../training/loop.js";
import type { ReservoirBuffer } from "./buffer.js";

export interface Anchor {
  /** The parameters after an earlier task (flat, in model.params() order). */
  theta: Float32Array;
  /** How much each parameter matters to that task: the diagonal Fisher for EWC, all ones for L2. */
  importance: Float32Array;
}

/**
 * Adds (lambda / 2) * sum over anchors of sum_i F_i (theta_i - theta*_i)^2 to the loss: Kirkpatrick et al. 2017's
 * EWC with one anchor per earlier task (online EWC passes one merged anchor). Call dispose() when the task is done.
 */
export function anchorPenaltyPlugin(model: Sequential, anchors: Anchor[], lambda: number): TrainPlugin & { dispose(): void } {
  const params = model.params();
  const split = (v: Float32Array) => {
    let offset = 0;
    return params.map((p) => {
      const t = tf.keep(tf.tensor(v.subarray(offset, offset + p.variable.size), p.variable.shape, "float32"));
      offset += p.variable.size;
      return t;
    });
  };
  const tensors = anchors.map((a) => ({ theta: split(a.theta), importance: split(a.importance) }));
  return {
    name: "anchor-penalty",
    lossTerms(): Tensor | void {
      if (tensors.length === 0 || lambda === 0) return;
      let total: Tensor = tf.scalar(0);
      for (const a of tensors)
        params.forEach((p, i) => {
          total = tf.add(total, tf.sum(tf.mul(a.importance[i]!, tf.square(tf.sub(p.variable, a.theta[i]!)))));
        });
      return tf.mul(total, lambda / 2);
    },
    dispose() {
      for (const a of tensors) tf.dispose([...a.theta, ...a.importance]);
    },
  };
}

/** Online EWC (Schwarz et al. 2018): one anchor at the latest parameters with importance gamma * F_old + F_new. */
export function mergeAnchors(previous: Anchor | undefined, theta: Float32Array, fisher: Float32Array, gamma: number): Anchor {
  if (!previous) return { theta, importance: fisher };
  const importance = fisher.map((f, i) => gamma * previous.importance[i]! + f);
  return { theta, importance };
}

/** Appends `count` examples drawn from the buffer to every batch (Chaudhry et al. 2019's experience replay). */
export function replayPlugin(buffer: ReservoirBuffer, count: number, rng: Rng): TrainPlugin {
  return {
    name: "replay",
    beforeBatch(_state, batch) {
      if (buffer.size === 0 || count === 0) return;
      const memory = buffer.sample(count, rng);
      const { x, y } = tf.tidy(() => ({
        x: tf.concat([batch.x, tf.tensor2d(memory.x, [count, buffer.features])], 0),
        y: tf.concat([batch.y, tf.tensor1d(memory.y, "int32")], 0),
      }));
      return { x, y, indices: batch.indices };
    },
  };
}
