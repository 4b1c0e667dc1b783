/**
 * 2-D loss surfaces (Li et al. 2018): the loss at θ + α·d1 + β·d2 on a grid, evaluated on a whole dataset. Grids are
 * resumable: pass the cells already computed and only the missing ones are evaluated, so a long surface can be built
 * in pieces (or after an interruption) and the result is the same as one pass.
 */
import type { Dataset } from "../../data/dataset.js";
import type { LossKind } from "../../engine/loss.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import { throwIfInterrupted } from "../../core/interrupt.js";

export interface SurfaceCell {
  /** Column (alpha) and row (beta) index in the grid. */
  i: number;
  j: number;
  alpha: number;
  beta: number;
  loss: number;
  accuracy: number;
}

export interface SurfaceOptions {
  loss?: LossKind;
  signal?: AbortSignal;
  /** Cells computed earlier (by i, j); they are kept and not evaluated again. */
  done?: SurfaceCell[];
  onCell?: (cell: SurfaceCell, computed: number, missing: number) => void;
}

/** A symmetric grid of `points` values from -radius to radius that contains 0 exactly (points must be odd). */
export function centredGrid(radius: number, points: number): number[] {
  if (!(radius > 0) || !Number.isInteger(points) || points < 3 || points % 2 === 0) throw new RangeError(`a centred grid needs radius > 0 and an odd number of points >= 3, got ${radius}, ${points}`);
  const half = (points - 1) / 2;
  return Array.from({ length: points }, (_, k) => Number((((k - half) / half) * radius).toFixed(10)));
}

/**
 * Evaluates the loss on every (alpha, beta) of the grid not in `options.done`; returns all cells, row-major (j, then
 * i). The model's own parameters are restored afterwards, even on error or interruption.
 */
export async function surfaceGrid(
  model: Sequential,
  centre: Float32Array,
  d1: Float32Array,
  d2: Float32Array,
  alphas: number[],
  betas: number[],
  data: Dataset,
  options: SurfaceOptions = {},
): Promise<SurfaceCell[]> {
  if (d1.length !== centre.length || d2.length !== centre.length) throw new RangeError(`surfaceGrid: centre has ${centre.length} values, directions ${d1.length} and ${d2.length}`);
  const original = model.getFlat();
  if (original.length !== centre.length) throw new RangeError(`surfaceGrid: the model has ${original.length} parameters, the centre ${centre.length}`);
  const cells = new Map<string, SurfaceCell>();
  for (const c of options.done ?? []) {
    if (alphas[c.i] !== c.alpha || betas[c.j] !== c.beta) throw new RangeError(`surfaceGrid: a done cell (${c.i}, ${c.j}) has alpha ${c.alpha}, beta ${c.beta}, which this grid puts elsewhere`);
    cells.set(`${c.i},${c.j}`, c);
  }
  const missing = alphas.length * betas.length - cells.size;
  const point = new Float32Array(centre.length);
  let computed = 0;
  try {
    for (const [j, beta] of betas.entries()) {
      for (const [i, alpha] of alphas.entries()) {
        if (cells.has(`${i},${j}`)) continue;
        throwIfInterrupted(options.signal);
        for (let k = 0; k < point.length; k++) point[k] = centre[k]! + alpha * d1[k]! + beta * d2[k]!;
        model.setFlat(point);
        const e = evaluate(model, data, options.loss ?? "softmax-ce");
        const cell = { i, j, alpha, beta, loss: e.loss, accuracy: e.accuracy };
        cells.set(`${i},${j}`, cell);
        computed++;
        options.onCell?.(cell, computed, missing);
        // let a worker post its progress and a page stay responsive between cells
        if (computed % 8 === 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
    }
  } finally {
    model.setFlat(original);
  }
  return betas.flatMap((_, j) => alphas.map((_, i) => cells.get(`${i},${j}`)!));
}

/**
 * The share of the grid where the loss stays within `rise` of the centre's — the area of the basin as the plot shows
 * it (a flatter minimum has a wider basin on a filter-normalized plot).
 */
export function basinArea(cells: SurfaceCell[], centreLoss: number, rise: number): number {
  if (!cells.length) return Number.NaN;
  return cells.filter((c) => c.loss <= centreLoss + rise).length / cells.length;
}
