/**
 * Curvature of the training loss at a point, on a whole dataset (summed over chunks, never one minibatch): the full
 * gradient, exact Hessian-vector products (engine/hvp.ts, R-operator), the top Hessian eigenvalue by power iteration,
 * the extreme eigenvalues by Lanczos, the trace by Hutchinson's estimator, and Keskar et al.'s epsilon-sharpness
 * (Metric 2.1) by projected ascent in the box.
 */
import { tf } from "../../engine/tf.js";
import { parameterGradients } from "../../engine/gradients.js";
import { hessianVectorProductFlat } from "../../engine/hvp.js";
import type { LossKind } from "../../engine/loss.js";
import { flatten } from "../../engine/flat.js";
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { makeBatch, disposeBatch, targetOf } from "../../training/batches.js";
import { orthonormalize, symmetricEigen } from "../../core/linalg.js";
import { checkpoint } from "../../core/interrupt.js";

function forChunks(data: Dataset, chunk: number, loss: LossKind, fn: (x: tf.Tensor, y: tf.Tensor, weight: number) => void): void {
  for (let start = 0; start < data.n; start += chunk) {
    const count = Math.min(chunk, data.n - start);
    const batch = makeBatch(data, Int32Array.from({ length: count }, (_, i) => start + i), targetOf(loss));
    try {
      fn(batch.x, batch.y, count / data.n);
    } finally {
      disposeBatch(batch);
    }
  }
}

/** Mean loss over the dataset and its gradient (flat, parameter order). */
export function datasetGradient(model: Sequential, data: Dataset, loss: LossKind = "softmax-ce", chunk = 2000): { loss: number; gradient: Float32Array } {
  let total = 0;
  let gradient: Float32Array | null = null;
  forChunks(data, chunk, loss, (x, y, w) => {
    const { loss: l, grads } = parameterGradients(model, x, y, loss);
    const flat = flatten(grads);
    tf.dispose(grads);
    total += w * l;
    if (!gradient) gradient = flat.map((g) => g * w);
    else for (let i = 0; i < flat.length; i++) gradient[i]! += w * flat[i]!;
  });
  return { loss: total, gradient: gradient! };
}

/** H v for the dataset's mean loss. */
export function datasetHvp(model: Sequential, data: Dataset, v: Float32Array, loss: LossKind = "softmax-ce", chunk = 2000): Float32Array {
  const out = new Float32Array(v.length);
  forChunks(data, chunk, loss, (x, y, w) => {
    const hv = hessianVectorProductFlat(model, x, y, loss, v);
    for (let i = 0; i < hv.length; i++) out[i]! += w * hv[i]!;
  });
  return out;
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * The eigenvalue of largest magnitude (at a minimum: the top curvature) by power iteration from a seeded random
 * start, or from `start` (warm start: the last eigenvector of a Hessian that changed little since); stops when the
 * Rayleigh quotient changes by less than `tolerance` (relative).
 */
export async function topHessianEigenvalue(
  model: Sequential,
  data: Dataset,
  rng: Rng,
  options: { iterations?: number; tolerance?: number; loss?: LossKind; signal?: AbortSignal; start?: Float32Array } = {},
): Promise<{ eigenvalue: number; iterations: number; vector: Float32Array }> {
  const size = model.parameterCount();
  if (options.start && options.start.length !== size) throw new RangeError(`topHessianEigenvalue: start has ${options.start.length} entries, the model ${size} parameters`);
  let v = options.start ? Float32Array.from(options.start) : Float32Array.from({ length: size }, () => rng.normal());
  let norm = Math.sqrt(dot(v, v));
  v = v.map((x) => x / norm);
  let lambda = 0;
  let it = 0;
  for (it = 1; it <= (options.iterations ?? 50); it++) {
    await checkpoint(options.signal);
    const hv = datasetHvp(model, data, v, options.loss);
    const next = dot(v, hv);
    norm = Math.sqrt(dot(hv, hv));
    if (norm === 0) return { eigenvalue: 0, iterations: it, vector: v };
    v = hv.map((x) => x / norm);
    const converged = it > 1 && Math.abs(next - lambda) <= (options.tolerance ?? 1e-3) * Math.abs(next);
    lambda = next;
    if (converged) break;
  }
  return { eigenvalue: lambda, iterations: Math.min(it, options.iterations ?? 50), vector: v };
}

/**
 * Keskar et al. 2017, Metric 2.1: 100 * (max over the box of f(x + Ay) - f(x)) / (1 + f(x)), the box being
 * |y_i| <= eps (|(A+ x)_i| + 1). In the full space A is the identity (|y_i| <= eps (|x_i| + 1)); with `subspace`, A is
 * `subspaceScale` times the given p orthonormal columns Q (A+ = Q^T / scale): Keskar's "random manifold" variant, which
 * probes a few random directions instead of the worst one. Keskar et al. draw A at random; an n x p matrix of
 * N(0, 1) entries has columns of norm ~sqrt(n), nearly orthogonal, so the default scale sqrt(n) gives A that geometry. The maximum is approximated by projected
 * sign-gradient ascent (`steps` steps; the paper used 10 iterations of L-BFGS-B), from the centre and from every
 * corner given as a start direction (e.g. the sign of the top Hessian eigenvector: at a minimum the gradient is ~0
 * and says little about where the box's maximum is). The model's parameters are restored afterwards.
 */
export async function keskarSharpness(
  model: Sequential,
  data: Dataset,
  options: { epsilon?: number; steps?: number; loss?: LossKind; startDirections?: Float32Array[]; subspace?: Float32Array[]; subspaceScale?: number; signal?: AbortSignal } = {},
): Promise<{ sharpness: number; base: number; maximum: number }> {
  const epsilon = options.epsilon ?? 1e-3;
  const steps = options.steps ?? 20;
  const loss = options.loss ?? "softmax-ce";
  const x = model.getFlat();
  const columns = options.subspace;
  if (columns) for (const c of columns) if (c.length !== x.length) throw new RangeError(`keskarSharpness: a subspace direction has ${c.length} values, the model ${x.length}`);
  // y lives in the box's own coordinates: the parameters themselves, or the p subspace coordinates
  const scale = options.subspaceScale ?? Math.sqrt(x.length);
  // A+ v for the box; the ascent uses only the sign of A^T g, which A+ g shares (A^T = scale^2 A+)
  const toBox = (v: Float32Array): Float32Array => (columns ? Float32Array.from(columns, (c) => dot(c, v) / scale) : v);
  const bound = toBox(x).map((v) => epsilon * (Math.abs(v) + 1));
  const point = new Float32Array(x.length);
  const setPoint = (y: Float32Array) => {
    if (!columns) for (let i = 0; i < y.length; i++) point[i] = x[i]! + y[i]!;
    else {
      point.set(x);
      columns.forEach((c, j) => {
        const yj = y[j]! * scale;
        for (let i = 0; i < point.length; i++) point[i]! += yj * c[i]!;
      });
    }
    model.setFlat(point);
  };
  const stepFraction = 2.5 / steps;
  const starts: Float32Array[] = [new Float32Array(bound.length), ...(options.startDirections ?? []).map((d) => toBox(d).map((v, i) => (v >= 0 ? bound[i]! : -bound[i]!)))];
  try {
    const centre = datasetGradient(model, data, loss);
    const base = centre.loss;
    let maximum = base;
    for (const start of starts) {
      const y = start.slice();
      let gradient = toBox(centre.gradient);
      if (start.some((v) => v !== 0)) {
        setPoint(y);
        const at = datasetGradient(model, data, loss);
        maximum = Math.max(maximum, at.loss);
        gradient = toBox(at.gradient);
      }
      for (let s = 0; s < steps; s++) {
        await checkpoint(options.signal);
        for (let i = 0; i < y.length; i++) {
          const g = gradient[i]!;
          const b = bound[i]!;
          y[i] = Math.min(b, Math.max(-b, y[i]! + (g > 0 ? 1 : g < 0 ? -1 : 0) * stepFraction * b));
        }
        setPoint(y);
        const next = datasetGradient(model, data, loss);
        maximum = Math.max(maximum, next.loss);
        gradient = toBox(next.gradient);
      }
    }
    return { sharpness: (100 * (maximum - base)) / (1 + base), base, maximum };
  } finally {
    model.setFlat(x);
  }
}

/** p orthonormal directions in R^n, Gaussian draws orthonormalized (modified Gram-Schmidt in float64). */
export function randomSubspace(n: number, p: number, rng: Rng): Float32Array[] {
  if (!(p >= 1 && p <= n)) throw new RangeError(`randomSubspace: need 1 <= p <= n, got p = ${p}, n = ${n}`);
  const draws = Array.from({ length: p }, () => Float64Array.from({ length: n }, () => rng.normal()));
  return orthonormalize(draws, 2).map((v) => Float32Array.from(v));
}

/**
 * The extreme eigenvalues of the Hessian by Lanczos with full reorthogonalization (`steps` Hessian-vector products):
 * the Ritz values of the Krylov tridiagonal, largest first. The top few converge long before power iteration's single
 * value does, and the smallest (negative at a saddle) come from the same run. Stops early when the Krylov space is
 * exhausted (steps >= the parameter count).
 */
export async function lanczosEigenvalues(
  model: Sequential,
  data: Dataset,
  rng: Rng,
  options: { steps?: number; loss?: LossKind; signal?: AbortSignal } = {},
): Promise<{ ritzValues: number[]; steps: number }> {
  const size = model.parameterCount();
  const m = Math.min(options.steps ?? 30, size);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = Float64Array.from({ length: size }, () => rng.normal());
  let norm = Math.sqrt(q.reduce((s, x) => s + x * x, 0));
  q = q.map((x) => x / norm);
  for (let j = 0; j < m; j++) {
    await checkpoint(options.signal);
    basis.push(q);
    const w = Float64Array.from(datasetHvp(model, data, Float32Array.from(q), options.loss));
    const a = q.reduce((s, x, i) => s + x * w[i]!, 0);
    alpha.push(a);
    // full reorthogonalization against every earlier vector (twice is enough in floating point)
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const c = b.reduce((s, x, i) => s + x * w[i]!, 0);
        for (let i = 0; i < size; i++) w[i]! -= c * b[i]!;
      }
    }
    norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    if (j === m - 1 || norm < 1e-10 * Math.max(1, Math.abs(a))) break;
    beta.push(norm);
    q = w.map((x) => x / norm);
  }
  const k = alpha.length;
  const T = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? alpha[i]! : Math.abs(i - j) === 1 ? beta[Math.min(i, j)]! : 0)));
  return { ritzValues: symmetricEigen(T).values, steps: k };
}

/**
 * Hutchinson's estimator of the Hessian's trace: the mean of z'Hz over `samples` Rademacher vectors z, with its
 * standard error (the trace is the sum of all eigenvalues: a flatness measure that sees every direction).
 */
export async function hutchinsonTrace(
  model: Sequential,
  data: Dataset,
  rng: Rng,
  options: { samples?: number; loss?: LossKind; signal?: AbortSignal } = {},
): Promise<{ trace: number; standardError: number; samples: number }> {
  const size = model.parameterCount();
  const samples = options.samples ?? 30;
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`Hutchinson's estimator needs at least 2 samples, got ${samples}`);
  const values: number[] = [];
  for (let s = 0; s < samples; s++) {
    await checkpoint(options.signal);
    const z = Float32Array.from({ length: size }, () => (rng.next() < 0.5 ? -1 : 1));
    values.push(dot(z, datasetHvp(model, data, z, options.loss)));
  }
  const mean = values.reduce((a, b) => a + b, 0) / samples;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples - 1);
  return { trace: mean, standardError: Math.sqrt(variance / samples), samples };
}
