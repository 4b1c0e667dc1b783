/**
 * Are the model's units more meaningful than random directions (Szegedy et al. 2014)? The label purity of the top-k
 * examples of each live unit of its last hidden activation layer, against random unit directions in the same layer.
 */
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { labelPurity, layerActivations, topKByDirection, topKForUnit } from "../inside/activations.js";
import { randomUnitVector } from "../inside/grids.js";

export interface PurityProfile {
  /** The layer probed; null when the model has no hidden activation layer. */
  layer: string | null;
  units: number;
  deadUnits: number;
  purityUnits: number;
  purityRandom: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** The last Activation layer before the output, if any. */
export function lastHiddenActivation(model: Sequential): number {
  for (let i = model.layers.length - 2; i >= 0; i--) if (model.layers[i]!.kind === "Activation") return i;
  return -1;
}

export function unitPurity(model: Sequential, data: Dataset, rng: Rng, options: { topK: number; randomDirections: number }): PurityProfile {
  const index = lastHiddenActivation(model);
  if (index < 0) return { layer: null, units: 0, deadUnits: 0, purityUnits: Number.NaN, purityRandom: Number.NaN };
  const { values, width } = layerActivations(model, data, index);
  // dead: exactly zero on every example (a ReLU that never fires); a tanh or sigmoid unit is never dead by this test
  const alive: number[] = [];
  for (let j = 0; j < width; j++) {
    let active = false;
    for (let i = 0; i < data.n && !active; i++) active = values[i * width + j]! !== 0;
    if (active) alive.push(j);
  }
  const units = alive.map((j) => labelPurity(data.y, topKForUnit(values, width, j, options.topK)));
  const random = Array.from({ length: options.randomDirections }, () => labelPurity(data.y, topKByDirection(values, width, randomUnitVector(width, rng), options.topK)));
  return { layer: model.layers[index]!.name, units: width, deadUnits: width - alive.length, purityUnits: mean(units), purityRandom: mean(random) };
}
