/**
 * The loss along a straight line in parameter space, θ(α) = (1 − α)·from + α·to, evaluated on whole datasets
 * (never a minibatch: a slice through one batch's loss is a different function). Works on any Sequential model.
 */
import type { Dataset } from "../../data/dataset.js";
import type { LossKind } from "../../engine/loss.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import { throwIfInterrupted } from "../../core/interrupt.js";

export interface LinePoint {
  alpha: number;
  /** Loss and accuracy per evaluated dataset, by the name given in `sets`. */
  loss: Record<string, number>;
  accuracy: Record<string, number>;
}

export interface LineScanOptions {
  loss?: LossKind;
  signal?: AbortSignal;
  onPoint?: (point: LinePoint, index: number, total: number) => void;
}

/** α from `start` to `end` inclusive in steps of `step`, rounded so that 0 and 1 are hit exactly. */
export function alphaGrid(start: number, end: number, step: number): number[] {
  if (!(step > 0) || !(end >= start)) throw new RangeError(`alpha grid needs step > 0 and end >= start, got ${start}..${end} step ${step}`);
  const count = Math.round((end - start) / step);
  const grid = Array.from({ length: count + 1 }, (_, i) => Number((start + i * step).toFixed(10)));
  for (const anchor of [0, 1]) if (anchor >= start && anchor <= end && !grid.includes(anchor)) grid.push(anchor);
  return grid.sort((a, b) => a - b);
}

/** Evaluates the model at every α; the model's own parameters are restored afterwards, even on error. */
export async function lineScan(
  model: Sequential,
  from: Float32Array,
  to: Float32Array,
  alphas: number[],
  sets: { name: string; data: Dataset }[],
  options: LineScanOptions = {},
): Promise<LinePoint[]> {
  if (from.length !== to.length) throw new RangeError(`lineScan: endpoints have ${from.length} and ${to.length} values`);
  const size = model.parameterCount();
  if (size !== from.length) throw new RangeError(`lineScan: the model has ${size} parameters, the endpoints ${from.length}`);
  return pathScan(model, (alpha, point) => {
    for (let i = 0; i < point.length; i++) point[i] = (1 - alpha) * from[i]! + alpha * to[i]!;
  }, alphas, sets, options);
}

/**
 * Evaluates the model at the point `at(α, point)` writes for every α (a line, a curve: any path through parameter
 * space), on whole datasets; the model's own parameters are restored afterwards, even on error.
 */
export async function pathScan(
  model: Sequential,
  at: (alpha: number, point: Float32Array) => void,
  alphas: number[],
  sets: { name: string; data: Dataset }[],
  options: LineScanOptions = {},
): Promise<LinePoint[]> {
  const original = model.getFlat();
  const point = new Float32Array(original.length);
  const out: LinePoint[] = [];
  try {
    for (const [index, alpha] of alphas.entries()) {
      throwIfInterrupted(options.signal);
      at(alpha, point);
      model.setFlat(point);
      const p: LinePoint = { alpha, loss: {}, accuracy: {} };
      for (const set of sets) {
        const e = evaluate(model, set.data, options.loss ?? "softmax-ce");
        p.loss[set.name] = e.loss;
        p.accuracy[set.name] = e.accuracy;
      }
      out.push(p);
      options.onPoint?.(p, index, alphas.length);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    model.setFlat(original);
  }
  return out;
}

/** Points with α in [lo, hi], in increasing α. */
function inside(alphas: number[], values: number[], lo: number, hi: number): { alpha: number; value: number }[] {
  if (alphas.length !== values.length) throw new RangeError("alphas and values differ in length");
  return alphas
    .map((alpha, i) => ({ alpha, value: values[i]! }))
    .filter((p) => p.alpha >= lo - 1e-12 && p.alpha <= hi + 1e-12)
    .sort((a, b) => a.alpha - b.alpha);
}

/**
 * How far the curve ever climbs back above its lowest earlier value on [0, 1]: 0 for a non-increasing curve.
 * Catches a slow rise as well as a single bump (Goodfellow et al.'s "no obstacle" claim).
 */
export function maxRise(alphas: number[], values: number[]): { rise: number; at: number } {
  let best = Number.POSITIVE_INFINITY;
  let rise = 0;
  let at = Number.NaN;
  for (const p of inside(alphas, values, 0, 1)) {
    if (p.value - best > rise) {
      rise = p.value - best;
      at = p.alpha;
    }
    best = Math.min(best, p.value);
  }
  return { rise, at };
}

/** The loss barrier on [0, 1]: max over α of L(α) − [(1 − α)·L(0) + α·L(1)] (Frankle et al. 2020's definition). */
export function barrier(alphas: number[], values: number[]): { barrier: number; at: number } {
  const pts = inside(alphas, values, 0, 1);
  const start = pts.find((p) => p.alpha === 0);
  const end = pts.find((p) => p.alpha === 1);
  if (!start || !end) throw new RangeError("barrier needs the curve at alpha 0 and 1");
  let best = Number.NEGATIVE_INFINITY;
  let at = Number.NaN;
  for (const p of pts) {
    const excess = p.value - ((1 - p.alpha) * start.value + p.alpha * end.value);
    if (excess > best) {
      best = excess;
      at = p.alpha;
    }
  }
  return { barrier: best, at };
}

/** Linear interpolation of the curve at α (for reading off e.g. the test error at the midpoint). */
export function valueAt(alphas: number[], values: number[], alpha: number): number {
  const pts = inside(alphas, values, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    if (alpha >= a.alpha && alpha <= b.alpha) return b.alpha === a.alpha ? a.value : a.value + ((alpha - a.alpha) / (b.alpha - a.alpha)) * (b.value - a.value);
  }
  throw new RangeError(`alpha ${alpha} is outside the scanned range`);
}
