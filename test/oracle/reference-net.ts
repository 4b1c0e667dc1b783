/**
 * A float64 re-implementation of quirklab's layers over hyper-dual numbers, written from the definitions and sharing
 * no code with src/, used as the reference for gradients and Hessian-vector products.
 */
import { HD } from "./hyperdual.js";

export type RefLayer =
  | { kind: "dense"; inputs: number; units: number }
  | { kind: "conv"; inChannels: number; filters: number; k: number; padding: "same" | "valid" }
  | { kind: "pool"; size: number }
  | { kind: "avgpool"; size: number }
  | { kind: "reshape"; shape: number[] }
  | { kind: "flatten" }
  | { kind: "act"; fn: "relu" | "tanh" | "sigmoid" };

interface Act {
  shape: number[]; // without batch
  values: HD[]; // row-major, NHWC for images
}

export type RefLoss = "softmax-ce" | "squared-error";

/**
 * Mean loss of the net on a batch: softmax cross-entropy, or half the squared distance to the one-hot label summed over
 * classes; params is the flat vector in quirklab's layout (kernel, bias per layer).
 */
export function referenceLoss(layers: RefLayer[], inputShape: number[], params: HD[], xs: number[][], labels: number[], loss: RefLoss = "softmax-ce"): HD {
  let total = new HD(0);
  for (let n = 0; n < xs.length; n++) {
    let act: Act = { shape: inputShape, values: xs[n]!.map((v) => new HD(v)) };
    let offset = 0;
    for (const layer of layers) {
      switch (layer.kind) {
        case "dense": {
          const { inputs, units } = layer;
          const out: HD[] = [];
          for (let j = 0; j < units; j++) {
            let s = params[offset + inputs * units + j]!;
            for (let i = 0; i < inputs; i++) s = s.add(act.values[i]!.mul(params[offset + i * units + j]!));
            out.push(s);
          }
          offset += inputs * units + units;
          act = { shape: [units], values: out };
          break;
        }
        case "conv": {
          const [h, w] = act.shape as [number, number, number];
          const { inChannels: ci, filters: co, k } = layer;
          const pad = layer.padding === "same" ? Math.floor((k - 1) / 2) : 0;
          const oh = layer.padding === "same" ? h : h - k + 1;
          const ow = layer.padding === "same" ? w : w - k + 1;
          const out: HD[] = [];
          for (let y = 0; y < oh; y++)
            for (let x = 0; x < ow; x++)
              for (let o = 0; o < co; o++) {
                let s = params[offset + k * k * ci * co + o]!;
                for (let fy = 0; fy < k; fy++)
                  for (let fx = 0; fx < k; fx++) {
                    const iy = y + fy - pad;
                    const ix = x + fx - pad;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    for (let c = 0; c < ci; c++) {
                      const weight = params[offset + ((fy * k + fx) * ci + c) * co + o]!;
                      s = s.add(act.values[(iy * w + ix) * ci + c]!.mul(weight));
                    }
                  }
                out.push(s);
              }
          offset += k * k * ci * co + co;
          act = { shape: [oh, ow, co], values: out };
          break;
        }
        case "pool": {
          const [h, w, c] = act.shape as [number, number, number];
          const p = layer.size;
          const oh = Math.floor(h / p);
          const ow = Math.floor(w / p);
          const out: HD[] = [];
          for (let y = 0; y < oh; y++)
            for (let x = 0; x < ow; x++)
              for (let ch = 0; ch < c; ch++) {
                let best: HD | null = null;
                for (let dy = 0; dy < p; dy++)
                  for (let dx = 0; dx < p; dx++) {
                    const v = act.values[((y * p + dy) * w + (x * p + dx)) * c + ch]!;
                    if (best === null || v.a > best.a) best = v;
                  }
                out.push(best!);
              }
          act = { shape: [oh, ow, c], values: out };
          break;
        }
        case "avgpool": {
          const [h, w, c] = act.shape as [number, number, number];
          const p = layer.size;
          const out: HD[] = [];
          for (let y = 0; y < Math.floor(h / p); y++)
            for (let x = 0; x < Math.floor(w / p); x++)
              for (let ch = 0; ch < c; ch++) {
                let sum = HD.of(0);
                for (let dy = 0; dy < p; dy++) for (let dx = 0; dx < p; dx++) sum = sum.add(act.values[((y * p + dy) * w + (x * p + dx)) * c + ch]!);
                out.push(sum.mul(1 / (p * p)));
              }
          act = { shape: [Math.floor(h / p), Math.floor(w / p), c], values: out };
          break;
        }
        case "reshape":
          act = { shape: layer.shape, values: act.values };
          break;
        case "flatten":
          act = { shape: [act.values.length], values: act.values };
          break;
        case "act":
          act = { shape: act.shape, values: act.values.map((v) => v[layer.fn]()) };
          break;
      }
    }
    const z = act.values;
    if (loss === "squared-error") {
      for (let c = 0; c < z.length; c++) {
        const d = z[c]!.sub(c === labels[n] ? 1 : 0);
        total = total.add(d.mul(d).mul(0.5));
      }
      continue;
    }
    const m = Math.max(...z.map((v) => v.a));
    let sum = new HD(0);
    for (const v of z) sum = sum.add(v.sub(m).exp());
    const lse = sum.log().add(m);
    total = total.add(lse.sub(z[labels[n]!]!));
  }
  return total.mul(1 / xs.length);
}

export function referenceParamCount(layers: RefLayer[]): number {
  let n = 0;
  for (const l of layers) {
    if (l.kind === "dense") n += l.inputs * l.units + l.units;
    if (l.kind === "conv") n += l.k * l.k * l.inChannels * l.filters + l.filters;
  }
  return n;
}

/** Loss at real parameters. */
export function lossAt(layers: RefLayer[], inputShape: number[], params: ArrayLike<number>, xs: number[][], labels: number[], loss: RefLoss = "softmax-ce"): number {
  return referenceLoss(layers, inputShape, Array.from(params, (v) => new HD(v)), xs, labels, loss).a;
}

/** Central finite-difference gradient in float64. */
export function finiteDifferenceGradient(layers: RefLayer[], inputShape: number[], params: ArrayLike<number>, xs: number[][], labels: number[], h = 1e-6, loss: RefLoss = "softmax-ce"): Float64Array {
  const base = Float64Array.from(params);
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i]! += h;
    minus[i]! -= h;
    out[i] = (lossAt(layers, inputShape, plus, xs, labels, loss) - lossAt(layers, inputShape, minus, xs, labels, loss)) / (2 * h);
  }
  return out;
}

/** Exact H v: e1 along v, e2 along each basis vector. */
export function exactHvp(layers: RefLayer[], inputShape: number[], params: ArrayLike<number>, v: ArrayLike<number>, xs: number[][], labels: number[], loss: RefLoss = "softmax-ce"): Float64Array {
  const out = new Float64Array(params.length);
  for (let j = 0; j < params.length; j++) {
    const p = Array.from(params, (value, i) => new HD(value, v[i]!, i === j ? 1 : 0, 0));
    out[j] = referenceLoss(layers, inputShape, p, xs, labels, loss).d;
  }
  return out;
}
