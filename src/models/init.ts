/**
 * Initializers drawn from quirklab's `init` stream (never tfjs's seeds or an unseeded global generator), so the same seed gives the
 * same weights on every backend.
 */
import type { Rng } from "../core/rng.js";

export type InitSpec =
  | { kind: "he" }
  | { kind: "xavier" }
  | { kind: "normal"; sigma: number }
  | { kind: "zero" };

/** The variance each initializer targets, for documentation and tests. */
export function initVariance(spec: InitSpec, fanIn: number, fanOut: number): number {
  switch (spec.kind) {
    case "he":
      return 2 / fanIn; // He et al. 2015: keeps ReLU activations' second moment constant across layers
    case "xavier":
      return 2 / (fanIn + fanOut); // Glorot & Bengio 2010: U(-a, a) with a = sqrt(6 / (fanIn + fanOut))
    case "normal":
      return spec.sigma * spec.sigma;
    case "zero":
      return 0;
  }
}

export function initValues(spec: InitSpec, size: number, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  switch (spec.kind) {
    case "he": {
      const sd = Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, sd);
      break;
    }
    case "xavier": {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-a, a);
      break;
    }
    case "normal":
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, spec.sigma);
      break;
    case "zero":
      break;
  }
  return out;
}

/** Parses "he", "xavier", "zero", "normal(0.01)". */
export function parseInit(text: string): InitSpec {
  const t = text.trim().toLowerCase();
  if (t === "he" || t === "xavier" || t === "zero") return { kind: t };
  if (t === "glorot") return { kind: "xavier" };
  const m = /^normal\(\s*([0-9.eE+-]+)\s*\)$/.exec(t);
  if (m) {
    const sigma = Number(m[1]);
    if (Number.isFinite(sigma) && sigma >= 0) return { kind: "normal", sigma };
  }
  throw new RangeError(`unknown initializer "${text}": use he, xavier, zero or normal(<sigma>)`);
}

export function initName(spec: InitSpec): string {
  return spec.kind === "normal" ? `normal(${spec.sigma})` : spec.kind;
}
