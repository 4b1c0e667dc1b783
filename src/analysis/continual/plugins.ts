/**
 * Continual-learning strategies as training-loop plugins (Avalanche's design): a quadratic anchor penalty (EWC with
 * Fisher importances, or plain L2 with unit importances), experience replay from a reservoir buffer, A-GEM's
 * gradient projection against an episodic memory, and LwF's distillation from the model as it was before the task.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";
import type { TrainPlugin } from "../../training/loop.js";
import type { EpisodicMemory, ReservoirBuffer } from "./buffer.js";
import { parameterGradients } from "../../engine/gradients.js";
import { softTargetLoss } from "../compression/distill.js";

export interface Anchor {
  /** The parameters after an earlier task (flat, in model.params() order). */
  theta: Float32Array;
  /** How much each parameter matters to that task: the diagonal Fisher for EWC, all ones for L2. */
  importance: Float32Array;
}

/**
 * A sum of quadratics is one quadratic: sum_k F_k (theta - theta_k)^2 = A (theta - c)^2 + K with A = sum F_k,
 * c = sum F_k theta_k / A and K = sum F_k theta_k^2 - A c^2 (per parameter; c = 0 where A = 0). Computed in float64,
 * so the penalty of T earlier tasks costs one pass over the parameters instead of T, with the same value and gradient.
 */
export function combineAnchors(anchors: Anchor[]): { anchor: Anchor; constant: number } {
  if (anchors.length === 1) return { anchor: anchors[0]!, constant: 0 };
  const size = anchors[0]!.theta.length;
  const importance = new Float32Array(size);
  const theta = new Float32Array(size);
  let constant = 0;
  for (let i = 0; i < size; i++) {
    let a = 0;
    let b = 0;
    let c = 0;
    for (const k of anchors) {
      const f = k.importance[i]!;
      const t = k.theta[i]!;
      a += f;
      b += f * t;
      c += f * t * t;
    }
    importance[i] = a;
    if (a > 0) {
      const centre = b / a;
      theta[i] = centre;
      constant += c - b * centre;
    }
  }
  return { anchor: { theta, importance }, constant };
}

/**
 * Adds (lambda / 2) * sum over anchors of sum_i F_i (theta_i - theta*_i)^2 to the loss: Kirkpatrick et al. 2017's
 * EWC with one anchor per earlier task (online EWC passes one merged anchor), combined into one quadratic
 * (`combineAnchors`). Call dispose() when the task is done.
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
  const combined = anchors.length > 0 ? combineAnchors(anchors) : undefined;
  const tensors = combined ? [{ theta: split(combined.anchor.theta), importance: split(combined.anchor.importance) }] : [];
  return {
    name: "anchor-penalty",
    lossTerms(): Tensor | void {
      if (tensors.length === 0 || lambda === 0) return;
      let total: Tensor = tf.scalar(combined!.constant);
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

/**
 * A-GEM (Chaudhry, Ranzato, Rohrbach & Elhoseiny 2019): before each update, the gradient g is compared with the
 * gradient g_ref of a batch drawn from the episodic memory of earlier tasks; when they conflict (g . g_ref < 0) the
 * update uses g - (g . g_ref / g_ref . g_ref) g_ref, the closest direction that does not raise the memory's loss to
 * first order. `stats()` says how often the projection fired.
 */
export function agemPlugin(model: Sequential, memory: EpisodicMemory, referenceBatch: number, rng: Rng): TrainPlugin & { stats(): { steps: number; projected: number } } {
  let steps = 0;
  let projected = 0;
  return {
    name: "a-gem",
    stats: () => ({ steps, projected }),
    transformGradients(_state, grads) {
      steps++;
      if (memory.size === 0) return;
      const sample = memory.sample(referenceBatch, rng);
      const x = tf.tensor2d(sample.x, [referenceBatch, sample.x.length / referenceBatch]);
      const y = tf.tensor1d(sample.y, "int32");
      const reference = parameterGradients(model, x, y, "softmax-ce").grads;
      const dot = tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, reference[i]!)))).dataSync()[0]!;
      if (dot >= 0) return;
      const norm = tf.addN(reference.map((r) => tf.sum(tf.square(r)))).dataSync()[0]!;
      if (!(norm > 0)) return;
      projected++;
      return grads.map((g, i) => tf.sub(g, tf.mul(reference[i]!, dot / norm)));
    },
  };
}

/**
 * Learning without Forgetting (Li & Hoiem 2016): while training a new task, the outputs of the model as it was before
 * the task (`teacher`, frozen) on the new task's own inputs are kept as soft targets at temperature T for the classes
 * the earlier tasks used — no stored data. Adds weight x T^2 x cross-entropy(softmax(teacher/T), softmax(model/T)).
 */
export function lwfPlugin(teacher: Sequential, oldClasses: number[], weight: number, temperature: number): TrainPlugin {
  const classes = teacher.numOutputs;
  // a one-hot [classes, old] matrix picks the old columns: matMul's gradient exists on every backend (gather's needs
  // UnsortedSegmentSum, which tfjs wasm lacks)
  const pick = new Float32Array(classes * oldClasses.length);
  oldClasses.forEach((c, k) => (pick[c * oldClasses.length + k] = 1));
  return {
    name: "lwf",
    lossTerms(_state, batch, logits) {
      if (oldClasses.length === 0 || weight === 0) return;
      const select = tf.tensor2d(pick, [classes, oldClasses.length]);
      const target = tf.matMul(teacher.predict(batch.x), select);
      return tf.mul(softTargetLoss(tf.matMul(logits, select), target, temperature), weight);
    },
  };
}
