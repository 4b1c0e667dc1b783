/**
 * Directions in parameter space for loss-landscape slices. Li et al. 2018's filter normalization: a Gaussian
 * direction rescaled so that each filter (for a dense layer: each unit's incoming weights) has the norm of the same
 * filter of the parameters, with bias directions zeroed ("ignore biasbn") — so a slice means the same on any rescaled
 * copy of a network.
 */
import type { Rng } from "../../core/rng.js";
import { filterIndices, flatLayout, type ParamSlot } from "../../engine/flat.js";
import type { Sequential } from "../../models/sequential.js";
import type { Dataset } from "../../data/dataset.js";
import { evaluate } from "../../training/evaluate.js";

export function gaussianDirection(size: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** A copy of `direction` with every kernel filter scaled to the norm of the same filter of `theta` and biases zeroed. */
export function filterNormalize(direction: Float32Array, theta: Float32Array, slots: ParamSlot[]): Float32Array {
  const out = new Float32Array(direction.length);
  for (const slot of slots) {
    if (slot.role !== "kernel") continue; // bias directions stay zero
    for (let j = 0; j < slot.filters; j++) {
      const idx = filterIndices(slot, j);
      let dNorm = 0;
      let tNorm = 0;
      for (const i of idx) {
        dNorm += direction[i]! ** 2;
        tNorm += theta[i]! ** 2;
      }
      const scale = dNorm > 0 ? Math.sqrt(tNorm / dNorm) : 0;
      for (const i of idx) out[i] = direction[i]! * scale;
    }
  }
  return out;
}

/** A direction of unit Euclidean norm over all parameters (the unnormalized baseline). */
export function unitDirection(direction: Float32Array): Float32Array {
  const norm = Math.sqrt(direction.reduce((s, v) => s + v * v, 0));
  return direction.map((v) => v / norm);
}

/** Curvature of the loss along `d` at the model's parameters: (L(θ + h d) − 2 L(θ) + L(θ − h d)) / h². Restores θ. */
export function secondDifference(model: Sequential, data: Dataset, d: Float32Array, h: number): number {
  const theta = model.getFlat();
  try {
    const at = (t: number) => {
      model.setFlat(theta.map((v, i) => v + t * d[i]!));
      return evaluate(model, data).loss;
    };
    const plus = at(h);
    const minus = at(-h);
    model.setFlat(theta);
    const centre = evaluate(model, data).loss;
    return (plus - 2 * centre + minus) / (h * h);
  } finally {
    model.setFlat(theta);
  }
}

export function slotsOf(model: Sequential): ParamSlot[] {
  return flatLayout(model.params());
}
