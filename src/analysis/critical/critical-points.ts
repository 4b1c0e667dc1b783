/**
 * Critical points of a TinyTanhNet's training loss, found by Levenberg-Marquardt on the gradient map (minimizing
 * ||grad L||^2 / 2, so saddles attract as much as minima), and their index: the share of the exact Hessian's
 * eigenvalues below zero. Points are kept only when ||grad|| falls below a strict tolerance, because minimizers of
 * ||grad||^2 also stall at "gradient-flat" points that are not critical (Frye et al. 2021).
 */
import { symmetricEigenvalues } from "../../core/linalg.js";
import type { TinyTanhNet } from "./tiny-net.js";

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

export interface CriticalPointSearch {
  theta: Float64Array;
  gradientNorm: number;
  loss: number;
  error: number;
  iterations: number;
  converged: boolean;
}

/** Solves (A + mu I) s = b for symmetric positive definite A + mu I by Cholesky (dense, float64). */
function choleskySolve(A: Float64Array[], mu: number, b: Float64Array): Float64Array | null {
  const n = b.length;
  const L = A.map((row) => new Float64Array(row.length));
  for (let i = 0; i < n; i++) {
    const Li = L[i]!;
    const Ai = A[i]!;
    for (let j = 0; j <= i; j++) {
      const Lj = L[j]!;
      let sum = Ai[j]! + (i === j ? mu : 0);
      for (let k = 0; k < j; k++) sum -= Li[k]! * Lj[k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        Li[i] = Math.sqrt(sum);
      } else Li[j] = sum / Lj[j]!;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= L[i]![k]! * z[k]!;
    z[i] = sum / L[i]![i]!;
  }
  const s = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < n; k++) sum -= L[k]![i]! * s[k]!;
    s[i] = sum / L[i]![i]!;
  }
  return s;
}

/** H^2 for a symmetric H (rows), as rows. */
function square(H: number[][]): Float64Array[] {
  const n = H.length;
  const rows = H.map((r) => Float64Array.from(r));
  const out = rows.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const Hi = rows[i]!;
    const Oi = out[i]!;
    for (let k = 0; k < n; k++) {
      const h = Hi[k]!;
      if (h === 0) continue;
      const Hk = rows[k]!;
      for (let j = 0; j < n; j++) Oi[j]! += h * Hk[j]!;
    }
  }
  return out;
}

/** The rows and columns of H at `free` (all of H when free is undefined), as float rows. */
function restrict(H: number[][], free: Int32Array | undefined): number[][] {
  if (!free) return H;
  return Array.from(free, (r) => Array.from(free, (c) => H[r]![c]!));
}

/** The indices of the coordinates a search may move: all, or those where `frozen` is false. */
function freeIndices(size: number, frozen: ArrayLike<boolean> | undefined): Int32Array | undefined {
  if (!frozen) return undefined;
  if (frozen.length !== size) throw new RangeError(`frozen mask has ${frozen.length} entries, the net ${size} parameters`);
  const free: number[] = [];
  for (let i = 0; i < size; i++) if (!frozen[i]) free.push(i);
  return Int32Array.from(free);
}

const gather = (v: Float64Array, free: Int32Array | undefined) => (free ? Float64Array.from(free, (i) => v[i]!) : v);

function scatterStep(theta: Float64Array, step: Float64Array, free: Int32Array | undefined): Float64Array {
  const out = theta.slice();
  if (free) free.forEach((i, k) => (out[i]! += step[k]!));
  else for (let i = 0; i < out.length; i++) out[i]! += step[i]!;
  return out;
}

export interface SearchOptions {
  /** Stop when the full gradient's norm is at most this. */
  tolerance: number;
  maxIterations?: number;
  /** Coordinates held fixed (a unit switched off, say); the gradient norm is still measured over all of them. */
  frozen?: ArrayLike<boolean>;
  signal?: AbortSignal;
}

/**
 * One damped step loop shared by both searches: `solver` proposes steps on the free coordinates, `better` decides
 * whether the candidate is accepted; mu shrinks after a success and grows after a failure.
 */
function dampedSearch(
  net: TinyTanhNet,
  start: Float64Array,
  options: SearchOptions,
  /** Called once per iteration with the free part of the Hessian and gradient; returns the step for a given mu. */
  solver: (H: number[][], g: Float64Array) => (mu: number) => Float64Array | null,
  better: (next: { loss: number; norm: number }, now: { loss: number; norm: number }) => boolean,
): CriticalPointSearch {
  const free = freeIndices(net.size, options.frozen);
  let theta: Float64Array = start.slice();
  let state = net.lossAndGradient(theta);
  let norm = Math.sqrt(dot(state.gradient, state.gradient));
  let mu = 1e-3;
  let iterations = 0;
  const max = options.maxIterations ?? 60;
  while (norm > options.tolerance && iterations < max) {
    if (options.signal?.aborted) break;
    iterations++;
    const solve = solver(restrict(net.hessian(theta), free), gather(state.gradient, free));
    let accepted = false;
    for (let attempt = 0; attempt < 24 && !accepted; attempt++) {
      const step = solve(mu);
      if (!step) {
        mu *= 4;
        continue;
      }
      const candidate = scatterStep(theta, step, free);
      const next = net.lossAndGradient(candidate);
      const nextNorm = Math.sqrt(dot(next.gradient, next.gradient));
      if (Number.isFinite(next.loss) && better({ loss: next.loss, norm: nextNorm }, { loss: state.loss, norm })) {
        theta = candidate;
        state = next;
        norm = nextNorm;
        mu = Math.max(mu / 4, 1e-14);
        accepted = true;
      } else mu *= 4;
    }
    if (!accepted) break;
  }
  return { theta, gradientNorm: norm, loss: state.loss, error: state.error, iterations, converged: norm <= options.tolerance };
}

/**
 * Levenberg-Marquardt steps s = -(H^2 + mu I)^-1 H g on the gradient map until ||g|| <= tolerance or the budget is
 * spent: the exact Hessian and a dense Cholesky solve per step (the nets here have a few hundred parameters). It
 * minimizes ||g||^2 / 2, so it goes to saddles as readily as to minima (Dauphin et al. located critical points with
 * Newton's method for that reason).
 */
export function findCriticalPoint(net: TinyTanhNet, start: Float64Array, options: SearchOptions): CriticalPointSearch {
  return dampedSearch(
    net,
    start,
    options,
    (H, g) => {
      const H2 = square(H);
      const b = Float64Array.from(H, (row) => -row.reduce((s, h, j) => s + h * g[j]!, 0));
      return (mu) => choleskySolve(H2, mu, b);
    },
    (next, now) => next.norm < now.norm,
  );
}

/**
 * A minimum of the loss by damped Newton, s = -(H + mu I)^-1 g, mu raised until H + mu I is positive definite and the
 * loss falls: it descends past saddles, and near a minimum mu vanishes and the steps become Newton's (quadratic
 * convergence), so a minimum is reached to the tolerance that `findCriticalPoint` verifies.
 */
export function minimizeLoss(net: TinyTanhNet, start: Float64Array, options: SearchOptions): CriticalPointSearch {
  return dampedSearch(
    net,
    start,
    options,
    (H, g) => {
      const rows = H.map((row) => Float64Array.from(row));
      const b = g.map((v) => -v);
      return (mu) => choleskySolve(rows, mu, b);
    },
    // the loss must not rise; once it stalls at rounding level, a smaller gradient still counts as progress
    (next, now) => next.loss < now.loss || (next.loss <= now.loss + 1e-13 * Math.abs(now.loss) && next.norm < now.norm),
  );
}

export interface HessianSpectrum {
  /** Share of eigenvalues below -relativeTolerance x the largest |eigenvalue|. */
  index: number;
  /** Share within +-zeroTolerance x the largest |eigenvalue| (symmetries, dead directions): counted apart. */
  nearZero: number;
  min: number;
  max: number;
  /** Every eigenvalue, descending. */
  values: number[];
}

/**
 * The exact Hessian's spectrum at theta. `relativeTolerance` x the largest |eigenvalue| separates a negative
 * eigenvalue from rounding; `zeroTolerance` (the same by default) bounds the near-zero share.
 */
export function hessianSpectrum(net: TinyTanhNet, theta: Float64Array, relativeTolerance = 1e-6, zeroTolerance = relativeTolerance): HessianSpectrum {
  const values = symmetricEigenvalues(net.hessian(theta));
  const scale = Math.max(...values.map(Math.abs));
  return {
    index: values.filter((v) => v < -relativeTolerance * scale).length / values.length,
    nearZero: values.filter((v) => Math.abs(v) <= zeroTolerance * scale).length / values.length,
    min: values.at(-1)!,
    max: values[0]!,
    values,
  };
}
