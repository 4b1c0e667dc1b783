/** How much of a model is needed: accuracy after zeroing the smallest-magnitude kernel weights, without retraining. */
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import { applyMask, magnitudeMask } from "../compression/prune.js";

export interface PruningPoint {
  fraction: number;
  accuracy: number;
  loss: number;
}

/** Global magnitude pruning at each fraction of the kernel weights; the model's weights are restored afterwards. */
export function pruningCurve(model: Sequential, data: Dataset, fractions: number[]): PruningPoint[] {
  const theta = model.getFlat();
  try {
    return fractions.map((fraction) => {
      model.setFlat(theta);
      applyMask(model, magnitudeMask(model, fraction, "global"));
      const e = evaluate(model, data);
      return { fraction, accuracy: e.accuracy, loss: e.loss };
    });
  } finally {
    model.setFlat(theta);
  }
}

/**
 * The largest fraction up to which every measured fraction keeps accuracy within `tolerance` of the unpruned model's
 * (0 when the smallest already loses more): a later recovery past a failure does not count.
 */
export function prunableFraction(points: PruningPoint[], dense: number, tolerance: number): number {
  let best = 0;
  for (const p of [...points].sort((a, b) => a.fraction - b.fraction)) {
    if (p.accuracy < dense - tolerance) break;
    best = p.fraction;
  }
  return best;
}
