/**
 * Initializers drawn from quirklab's `init` stream (never tfjs's seeds or an unseeded global generator), so the same seed gives the
 * same weights on every backend.
 */
import type { Rng } from "../core/rng.js";

export type InitSpec =
  | { kind: "he"; gain?: number }
  | { kind: "xavier"; gain?: number }
  | { kind: "standard"; gain?: number }
  | { kind: "normal"; sigma: number }
  | { kind: "zero" };

/** The variance each initializer targets, for documentation and tests. */
export function initVariance(spec: InitSpec, fanIn: number, fanOut: number): number {
  const gain2 = "gain" in spec && spec.gain !== undefined ? spec.gain * spec.gain : 1;
  switch (spec.kind) {
    case "he":
      return (gain2 * 2) / fanIn; // He et al. 2015: keeps ReLU activations' second moment constant across layers
    case "xavier":
      return (gain2 * 2) / (fanIn + fanOut); // Glorot & Bengio 2010 "normalized": U(-a, a) with a = sqrt(6 / (fanIn + fanOut))
    case "standard":
      return gain2 / (3 * fanIn); // Glorot & Bengio 2010 eq. 1, the then-common heuristic: U(-1/sqrt(fanIn), 1/sqrt(fanIn))
    case "normal":
      return spec.sigma * spec.sigma;
    case "zero":
      return 0;
  }
}

export function initValues(spec: InitSpec, size: number, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  const gain = "gain" in spec && spec.gain !== undefined ? spec.gain : 1;
  const uniform = (a: number) => {
    for (let i = 0; i < size; i++) out[i] = rng.uniform(-a, a);
  };
  switch (spec.kind) {
    case "he": {
      const sd = gain * Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, sd);
      break;
    }
    case "xavier":
      uniform(gain * Math.sqrt(6 / (fanIn + fanOut)));
      break;
    case "standard":
      uniform(gain / Math.sqrt(fanIn));
      break;
    case "normal":
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, spec.sigma);
      break;
    case "zero":
      break;
  }
  return out;
}

/** Parses "he", "xavier" (or "glorot"), "standard", each optionally scaled as "he*3"; "zero"; "normal(0.01)". */
export function parseInit(text: string): InitSpec {
  const t = text.trim().toLowerCase();
  if (t === "zero") return { kind: t };
  const scaled = /^(he|xavier|glorot|standard)(?:\s*\*\s*([0-9.eE+-]+))?$/.exec(t);
  if (scaled) {
    const kind = scaled[1] === "glorot" ? "xavier" : (scaled[1] as "he" | "xavier" | "standard");
    if (scaled[2] === undefined) return { kind };
    const gain = Number(scaled[2]);
    if (Number.isFinite(gain) && gain > 0) return { kind, gain };
  }
  const m = /^normal\(\s*([0-9.eE+-]+)\s*\)$/.exec(t);
  if (m) {
    const sigma = Number(m[1]);
    if (Number.isFinite(sigma) && sigma >= 0) return { kind: "normal", sigma };
  }
  throw new RangeError(`unknown initializer "${text}": use he, xavier, standard (each may be scaled, e.g. he*3), zero or normal(<sigma>)`);
}

export function initName(spec: InitSpec): string {
  if (spec.kind === "normal") return `normal(${spec.sigma})`;
  return "gain" in spec && spec.gain !== undefined ? `${spec.kind}*${spec.gain}` : spec.kind;
}
