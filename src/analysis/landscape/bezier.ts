/**
 * Mode connectivity (Garipov et al. 2018): a quadratic Bézier curve φ(t) = (1−t)²·a + 2t(1−t)·c + t²·b between two
 * trained networks a and b, whose control point c is trained to minimize the loss averaged along the curve,
 * E_{t~U(0,1)} L(φ(t)): each step draws one t, and since ∂φ/∂c = 2t(1−t)·I, the step's gradient for c is
 * 2t(1−t)·∇L(φ(t)) (checked against finite differences in the tests).
 */
import { select, type Dataset } from "../../data/dataset.js";
import type { Rng } from "../../core/rng.js";
import { checkpoint } from "../../core/interrupt.js";
import type { Sequential } from "../../models/sequential.js";
import { stepsPerEpochOf } from "../../training/schedule.js";
import { datasetGradient } from "../curvature/curvature.js";
import { pathScan, type LinePoint } from "./line.js";

export function bezierPoint(a: Float32Array, control: Float32Array, b: Float32Array, t: number, out: Float32Array = new Float32Array(a.length)): Float32Array {
  const wa = (1 - t) * (1 - t);
  const wc = 2 * t * (1 - t);
  const wb = t * t;
  for (let i = 0; i < out.length; i++) out[i] = wa * a[i]! + wc * control[i]! + wb * b[i]!;
  return out;
}

/** The gradient of L(φ(t)) with respect to the control point, on `data` (mean loss). */
export function controlGradient(model: Sequential, a: Float32Array, control: Float32Array, b: Float32Array, t: number, data: Dataset): { loss: number; gradient: Float32Array } {
  model.setFlat(bezierPoint(a, control, b, t));
  const { loss, gradient } = datasetGradient(model, data);
  const scale = 2 * t * (1 - t);
  for (let i = 0; i < gradient.length; i++) gradient[i]! *= scale;
  return { loss, gradient };
}

export interface CurveTraining {
  epochs: number;
  batchSize: number;
  /** Adam's step size for the control point. */
  lr: number;
}

/**
 * Trains the control point from the straight line's midpoint, with Adam on minibatches, one t per step. The model's
 * own parameters are restored afterwards.
 */
export async function fitBezierControl(
  model: Sequential,
  a: Float32Array,
  b: Float32Array,
  data: Dataset,
  config: CurveTraining,
  streams: { order: Rng; t: Rng },
  options: { signal?: AbortSignal; onStep?: (step: number, total: number, loss: number) => void } = {},
): Promise<Float32Array> {
  const control = Float32Array.from(a, (v, i) => (v + b[i]!) / 2);
  const m = new Float32Array(control.length);
  const v = new Float32Array(control.length);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const batchesPerEpoch = stepsPerEpochOf(data.n, config.batchSize);
  const total = config.epochs * batchesPerEpoch;
  const original = model.getFlat();
  let step = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = streams.order.permutation(data.n);
      for (let start = 0; start < data.n; start += config.batchSize) {
        await checkpoint(options.signal);
        const batch = select(data, order.subarray(start, Math.min(data.n, start + config.batchSize)), "batch");
        const t = streams.t.uniform(0, 1);
        const { loss, gradient } = controlGradient(model, a, control, b, t, batch);
        step++;
        const correction1 = 1 - beta1 ** step;
        const correction2 = 1 - beta2 ** step;
        for (let i = 0; i < control.length; i++) {
          const g = gradient[i]!;
          m[i] = beta1 * m[i]! + (1 - beta1) * g;
          v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
          control[i]! -= (config.lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
        }
        options.onStep?.(step, total, loss);
      }
    }
  } finally {
    model.setFlat(original);
  }
  return control;
}

/** Loss and accuracy at each t along the curve (`alpha` holds t), on whole datasets; the model is restored. */
export function curveScan(model: Sequential, a: Float32Array, control: Float32Array, b: Float32Array, ts: number[], sets: { name: string; data: Dataset }[], signal?: AbortSignal): Promise<LinePoint[]> {
  return pathScan(model, (t, point) => void bezierPoint(a, control, b, t, point), ts, sets, signal ? { signal } : {});
}
