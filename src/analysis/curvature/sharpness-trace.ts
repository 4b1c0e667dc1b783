/**
 * The top Hessian eigenvalue of the training loss followed through training (Cohen et al. 2021's "sharpness"): a
 * training plugin that measures it every few steps on the whole training set, by power iteration warm-started from
 * the previous eigenvector (the Hessian moves little in a few steps, so a handful of Hessian-vector products suffice),
 * and keeps every step's training loss.
 */
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import type { LossKind } from "../../engine/loss.js";
import type { TrainPlugin, TrainState } from "../../training/loop.js";
import { topHessianEigenvalue } from "./curvature.js";

export interface SharpnessPoint {
  /** Parameter updates taken before the measurement. */
  step: number;
  eigenvalue: number;
  /** Power-iteration steps the measurement took. */
  iterations: number;
}

export interface SharpnessTraceOptions {
  /** Measure after every `every` steps (and before the first). */
  every: number;
  iterations: number;
  /** Relative change of the Rayleigh quotient at which an iteration stops. */
  tolerance: number;
  loss: LossKind;
  signal?: AbortSignal;
  onPoint?: (point: SharpnessPoint) => void;
}

export interface SharpnessTrace {
  plugin: TrainPlugin;
  points: SharpnessPoint[];
  /** losses[t]: the full training loss at the parameters after t steps (the full batch's loss before step t + 1). */
  losses: number[];
}

/**
 * The plugin is for full-batch training, where each step's batch loss is the training loss itself; `data` is the
 * training set the eigenvalue is measured on.
 */
export function sharpnessTrace(data: Dataset, rng: Rng, options: SharpnessTraceOptions): SharpnessTrace {
  if (!(Number.isInteger(options.every) && options.every >= 1)) throw new RangeError(`sharpnessTrace: every must be a positive integer, got ${options.every}`);
  const points: SharpnessPoint[] = [];
  const losses: number[] = [];
  let vector: Float32Array | undefined;
  const measure = async (state: TrainState) => {
    const top = await topHessianEigenvalue(state.model, data, rng, {
      iterations: options.iterations,
      tolerance: options.tolerance,
      loss: options.loss,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(vector ? { start: vector } : {}),
    });
    vector = top.vector;
    const point = { step: state.step, eigenvalue: top.eigenvalue, iterations: top.iterations };
    points.push(point);
    options.onPoint?.(point);
  };
  const plugin: TrainPlugin = {
    name: "sharpness-trace",
    beforeTraining(state) {
      if (state.config.batchSize !== data.n) throw new RangeError(`sharpnessTrace follows full-batch training: batch size ${state.config.batchSize}, training set ${data.n}`);
      return measure(state);
    },
    async afterBatch(state, info) {
      losses.push(info.loss);
      if (state.step % options.every === 0) await measure(state);
    },
  };
  return { plugin, points, losses };
}
