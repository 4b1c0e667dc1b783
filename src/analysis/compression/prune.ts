/**
 * Magnitude pruning: masks that zero the smallest weights (kernels only; biases are few and kept), globally across
 * layers or per layer, and a training plugin that keeps the masked weights at zero while the rest retrain.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import { flatLayout, type ParamSlot } from "../../engine/flat.js";
import type { Sequential } from "../../models/sequential.js";
import type { TrainPlugin } from "../../training/loop.js";

/** The kernels of a model's flat parameter vector, in order (the last one is the output layer's). */
export function kernelSlots(model: Sequential): ParamSlot[] {
  return flatLayout(model.params()).filter((s) => s.role === "kernel");
}

/**
 * A 0/1 mask over the flat parameter vector keeping the largest-magnitude kernel weights: `sparsity` of them are
 * zeroed, ranked over all kernels together ("global") or within each kernel ("layer"). Biases are always kept.
 */
export function magnitudeMask(model: Sequential, sparsity: number, scope: "global" | "layer"): Float32Array {
  if (!(sparsity >= 0 && sparsity < 1)) throw new RangeError(`sparsity must be in [0, 1), got ${sparsity}`);
  const theta = model.getFlat();
  const mask = new Float32Array(theta.length).fill(1);
  const kernels = kernelSlots(model);
  const groups = scope === "global" ? [kernels] : kernels.map((k) => [k]);
  for (const group of groups) pruneSmallest(theta, mask, group, sparsity);
  return mask;
}

/**
 * Zeroes in `mask` the round(sparsity x n) smallest-magnitude weights of the slots, ties broken by position (the
 * earlier first), as a sort by (magnitude, position) would: by the magnitude at that rank (one native sort of the
 * magnitudes), everything below it, then the first of those equal to it.
 */
function pruneSmallest(theta: Float32Array, mask: Float32Array, slots: ParamSlot[], sparsity: number): void {
  const count = slots.reduce((n, s) => n + s.size, 0);
  const prune = Math.round(sparsity * count);
  if (prune === 0) return;
  const magnitudes = new Float32Array(count);
  let k = 0;
  for (const slot of slots) for (let i = slot.offset; i < slot.offset + slot.size; i++) magnitudes[k++] = Math.abs(theta[i]!);
  const threshold = magnitudes.slice().sort()[prune - 1]!;
  let below = 0;
  for (let j = 0; j < count; j++) if (magnitudes[j]! < threshold) below++;
  let ties = prune - below;
  k = 0;
  for (const slot of slots) {
    for (let i = slot.offset; i < slot.offset + slot.size; i++, k++) {
      const m = magnitudes[k]!;
      if (m < threshold) mask[i] = 0;
      else if (m === threshold && ties > 0) {
        mask[i] = 0;
        ties--;
      }
    }
  }
}

export function applyMask(model: Sequential, mask: Float32Array): void {
  const theta = model.getFlat();
  for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! * mask[i]!;
  model.setFlat(theta);
}

/** The flat mask as one kept tensor per parameter of `model`, in params() order (the caller disposes them). */
export function maskTensors(model: Sequential, mask: Float32Array): Tensor[] {
  let offset = 0;
  return model.params().map((p) => {
    const t = tf.keep(tf.tensor(mask.subarray(offset, offset + p.variable.size), p.variable.shape, "float32"));
    offset += p.variable.size;
    return t;
  });
}

/** Multiplies every parameter by its mask tensor (from maskTensors), in place. */
export function reapplyMask(model: Sequential, masks: Tensor[]): void {
  const params = model.params();
  tf.tidy(() => params.forEach((p, i) => p.variable.assign(tf.mul(p.variable, masks[i]!))));
}

/** Re-applies the mask after every update, so pruned weights stay exactly zero while the others retrain. */
export function maskPlugin(model: Sequential, mask: Float32Array): TrainPlugin & { dispose(): void } {
  const masks = maskTensors(model, mask);
  return {
    name: "mask",
    beforeTraining: () => applyMask(model, mask),
    afterBatch: () => reapplyMask(model, masks),
    dispose: () => tf.dispose(masks),
  };
}

/** Fraction of kernel weights that are exactly zero. */
export function kernelSparsity(model: Sequential): number {
  const theta = model.getFlat();
  let zeros = 0;
  let total = 0;
  for (const slot of kernelSlots(model)) {
    total += slot.size;
    for (let i = slot.offset; i < slot.offset + slot.size; i++) if (theta[i] === 0) zeros++;
  }
  return zeros / total;
}
