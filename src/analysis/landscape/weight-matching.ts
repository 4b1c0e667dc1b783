/**
 * Weight matching (Ainsworth, Hayase & Srinivasa 2022, "Git Re-Basin", Algorithm 2) for MLPs: permute the hidden units
 * of network B, layer by layer, to maximize Σ_l <W_A^l, P_l W_B^l P_{l-1}^T> (biases included), each layer's
 * permutation a linear assignment with the others held, until no permutation changes. A permutation of hidden units
 * leaves B's function unchanged; only its place in parameter space moves, next to A's.
 */
import { tf } from "../../engine/tf.js";
import type { ParamSlot } from "../../engine/flat.js";
import type { Rng } from "../../core/rng.js";
import { linearAssignment } from "../../core/assignment.js";

interface Dense {
  kernel: ParamSlot;
  bias: ParamSlot;
  inputs: number;
  units: number;
}

/** The dense layers of an MLP's flat layout: kernels [inputs, units] each followed by its bias. */
export function denseLayers(slots: ParamSlot[]): Dense[] {
  const layers: Dense[] = [];
  for (let i = 0; i < slots.length; i++) {
    const kernel = slots[i]!;
    const bias = slots[i + 1];
    if (kernel.role !== "kernel" || kernel.shape.length !== 2 || !bias || bias.role !== "bias") throw new RangeError(`weight matching needs a plain MLP (kernel, bias per layer); found ${kernel.name} (${kernel.role}, shape ${kernel.shape.join("x")})`);
    layers.push({ kernel, bias, inputs: kernel.shape[0]!, units: kernel.shape[1]! });
    i++;
  }
  return layers;
}

/**
 * B with its hidden units permuted: unit i of hidden layer l of the result is unit perms[l][i] of B. Inputs and
 * outputs keep their order, so the function is the same.
 */
export function permuteHidden(theta: Float32Array, layers: Dense[], perms: Int32Array[]): Float32Array {
  const out = theta.slice();
  layers.forEach((layer, l) => {
    const inPerm = l > 0 ? perms[l - 1]! : null;
    const outPerm = l < layers.length - 1 ? perms[l]! : null;
    for (let i = 0; i < layer.inputs; i++) {
      const from = inPerm ? inPerm[i]! : i;
      for (let o = 0; o < layer.units; o++) {
        out[layer.kernel.offset + i * layer.units + o] = theta[layer.kernel.offset + from * layer.units + (outPerm ? outPerm[o]! : o)]!;
      }
    }
    for (let o = 0; o < layer.units; o++) out[layer.bias.offset + o] = theta[layer.bias.offset + (outPerm ? outPerm[o]! : o)]!;
  });
  return out;
}

/** rows x cols block of a kernel, optionally with its rows and/or columns permuted, as a tensor [rows, cols]. */
function kernelTensor(theta: Float32Array, layer: Dense, rowPerm: Int32Array | null, colPerm: Int32Array | null) {
  const values = new Float32Array(layer.inputs * layer.units);
  for (let i = 0; i < layer.inputs; i++) {
    const from = rowPerm ? rowPerm[i]! : i;
    for (let o = 0; o < layer.units; o++) values[i * layer.units + o] = theta[layer.kernel.offset + from * layer.units + (colPerm ? colPerm[o]! : o)]!;
  }
  return tf.tensor2d(values, [layer.inputs, layer.units]);
}

/** Similarity of A's unit i and B's unit j in hidden layer l, with B's other layers permuted by `perms`. */
function similarity(a: Float32Array, b: Float32Array, layers: Dense[], perms: Int32Array[], l: number): Float64Array {
  const layer = layers[l]!;
  const next = layers[l + 1]!;
  const values = tf.tidy(() => {
    const inPerm = l > 0 ? perms[l - 1]! : null;
    const outPermNext = l + 1 < layers.length - 1 ? perms[l + 1]! : null;
    // incoming weights: columns are units, compare A's columns with B's (inputs permuted as B's layer below)
    const incoming = tf.matMul(kernelTensor(a, layer, null, null), kernelTensor(b, layer, inPerm, null), true, false);
    const biasA = tf.tensor2d(a.subarray(layer.bias.offset, layer.bias.offset + layer.units), [layer.units, 1]);
    const biasB = tf.tensor2d(b.subarray(layer.bias.offset, layer.bias.offset + layer.units), [1, layer.units]);
    // outgoing weights: rows are units, compare A's rows with B's (outputs permuted as B's layer above)
    const outgoing = tf.matMul(kernelTensor(a, next, null, null), kernelTensor(b, next, null, outPermNext), false, true);
    return tf.addN([incoming, tf.matMul(biasA, biasB), outgoing]).dataSync() as Float32Array;
  });
  return Float64Array.from(values);
}

export interface MatchingResult {
  perms: Int32Array[];
  iterations: number;
  /** Σ_l <W_A, P W_B> after matching, and for B as it was: how much closer B moved. */
  innerProductBefore: number;
  innerProductAfter: number;
}

function inner(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function weightMatching(a: Float32Array, b: Float32Array, slots: ParamSlot[], rng: Rng, maxIterations = 50): MatchingResult {
  const layers = denseLayers(slots);
  const hidden = layers.length - 1;
  const perms: Int32Array[] = Array.from({ length: hidden }, (_, l) => Int32Array.from({ length: layers[l]!.units }, (_, i) => i));
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    let changed = false;
    for (const l of rng.permutation(hidden)) {
      const n = layers[l]!.units;
      const s = similarity(a, b, layers, perms, l);
      for (let i = 0; i < s.length; i++) s[i] = -s[i]!; // maximize similarity = minimize its negative
      const p = linearAssignment(s, n);
      if (p.some((v, i) => v !== perms[l]![i])) {
        // accept only a strict improvement, so floating-point ties cannot cycle
        const old = perms[l]!.reduce((t, v, i) => t - s[i * n + v]!, 0);
        const now = p.reduce((t, v, i) => t - s[i * n + v]!, 0);
        if (now > old + 1e-9 * Math.abs(old)) {
          perms[l] = p;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { perms, iterations, innerProductBefore: inner(a, b), innerProductAfter: inner(a, permuteHidden(b, layers, perms)) };
}
