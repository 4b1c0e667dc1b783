/**
 * Iterative magnitude pruning with rewinding (Frankle & Carbin 2019): each round prunes a fixed fraction of the weights
 * that survived the round before, layer by layer (kernels only; biases are kept), and the survivors start the next
 * round from their values at initialization (or at an early iteration: Frankle et al. 2020's rewinding). The controls
 * are the same mask with a fresh initialization, and a random mask of the same per-layer density.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { ParamSlot } from "../../engine/flat.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";
import type { TrainPlugin } from "../../training/loop.js";
import { applyMask, maskTensors, reapplyMask } from "./prune.js";

/**
 * The next round's mask: in each kernel, `rates[k]` of the weights the current mask keeps are removed, smallest
 * magnitude first (ties by position, so the mask is deterministic). Weights already masked stay masked.
 */
export function pruneSurvivors(theta: Float32Array, mask: Float32Array, kernels: ParamSlot[], rates: readonly number[]): Float32Array {
  if (rates.length !== kernels.length) throw new RangeError(`pruneSurvivors: ${rates.length} rates for ${kernels.length} kernels`);
  const next = mask.slice();
  kernels.forEach((slot, k) => {
    const rate = rates[k]!;
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`pruneSurvivors: rate ${rate} for kernel ${slot.name} is not in [0, 1)`);
    const alive: number[] = [];
    for (let i = slot.offset; i < slot.offset + slot.size; i++) if (mask[i] !== 0) alive.push(i);
    alive.sort((a, b) => Math.abs(theta[a]!) - Math.abs(theta[b]!) || a - b);
    const remove = Math.round(rate * alive.length);
    for (let i = 0; i < remove; i++) next[alive[i]!] = 0;
  });
  return next;
}

/** A mask keeping, in each kernel, as many weights as `like` keeps there, at uniformly random positions. */
export function randomMaskLike(like: Float32Array, kernels: ParamSlot[], rng: Rng): Float32Array {
  const mask = new Float32Array(like.length).fill(1);
  for (const slot of kernels) {
    let kept = 0;
    for (let i = slot.offset; i < slot.offset + slot.size; i++) if (like[i] !== 0) kept++;
    const order = rng.permutation(slot.size);
    for (let i = kept; i < slot.size; i++) mask[slot.offset + order[i]!] = 0;
  }
  return mask;
}

/** Kernel weights kept by `mask`, as a fraction of all kernel weights. */
export function remainingFraction(mask: Float32Array, kernels: ParamSlot[]): number {
  let kept = 0;
  let total = 0;
  for (const slot of kernels) {
    total += slot.size;
    for (let i = slot.offset; i < slot.offset + slot.size; i++) if (mask[i] !== 0) kept++;
  }
  return kept / total;
}

/**
 * Starts training from `start` (a full parameter vector, e.g. the initialization or an early iteration) times
 * `mask`, and keeps the masked weights at exactly zero after every update.
 */
export function maskedStart(start: Float32Array, mask: Float32Array): TrainPlugin {
  let masks: Tensor[] = [];
  return {
    name: "masked start",
    beforeTraining(state) {
      state.model.setFlat(start);
      applyMask(state.model, mask);
      masks = maskTensors(state.model, mask);
    },
    afterBatch(state) {
      reapplyMask(state.model, masks);
    },
    afterTraining() {
      tf.dispose(masks);
      masks = [];
    },
  };
}

export interface EarlyStopRecord {
  /** The iteration of the lowest validation loss (Frankle & Carbin's early-stopping criterion). */
  iteration: number;
  validationLoss: number;
  /** Test accuracy at that iteration. */
  testAccuracy: number;
  /** Test accuracy at the end of training. */
  finalTestAccuracy: number;
}

/**
 * Evaluates validation loss and test accuracy every `every` iterations and at the end, remembering the iteration of
 * the lowest validation loss and the test accuracy there.
 */
export function earlyStopTracker(evaluateAt: (model: Sequential) => { validationLoss: number; testAccuracy: number }, every: number): TrainPlugin & { record(): EarlyStopRecord } {
  let best: EarlyStopRecord = { iteration: Number.NaN, validationLoss: Number.POSITIVE_INFINITY, testAccuracy: Number.NaN, finalTestAccuracy: Number.NaN };
  let last = { step: -1, testAccuracy: Number.NaN };
  const look = (model: Sequential, step: number) => {
    const { validationLoss, testAccuracy } = evaluateAt(model);
    last = { step, testAccuracy };
    if (validationLoss < best.validationLoss) best = { ...best, iteration: step, validationLoss, testAccuracy };
  };
  return {
    name: "early-stop tracker",
    afterBatch(state) {
      if (state.step % every === 0) look(state.model, state.step);
    },
    afterTraining(state) {
      if (last.step !== state.step) look(state.model, state.step);
      best = { ...best, finalTestAccuracy: last.testAccuracy };
    },
    record: () => best,
  };
}
