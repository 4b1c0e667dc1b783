/**
 * Parameters as one vector: interpolation, random directions, sharpness and Hessian code work on Float32Arrays
 * laid out in the model's parameter order, and on per-parameter and per-filter views of them.
 */
import { tf } from "./tf.js";
import type { Param } from "./module.js";

export interface ParamSlot {
  name: string;
  role: Param["role"];
  shape: number[];
  offset: number;
  size: number;
  /** Number of filters (size of the last axis) and elements per filter. */
  filters: number;
  filterSize: number;
}

export function flatLayout(params: Param[]): ParamSlot[] {
  let offset = 0;
  return params.map((p) => {
    const shape = p.variable.shape.slice();
    const size = shape.reduce((a, b) => a * b, 1);
    const filters = shape[p.filterAxis] ?? 1;
    const slot = { name: p.name, role: p.role, shape, offset, size, filters, filterSize: size / filters };
    offset += size;
    return slot;
  });
}

export function flatSize(params: Param[]): number {
  return params.reduce((n, p) => n + p.variable.size, 0);
}

export function getFlat(params: Param[]): Float32Array {
  const out = new Float32Array(flatSize(params));
  let offset = 0;
  for (const p of params) {
    const values = p.variable.dataSync() as Float32Array;
    out.set(values, offset);
    offset += values.length;
  }
  return out;
}

export function setFlat(params: Param[], vector: Float32Array): void {
  const expected = flatSize(params);
  if (vector.length !== expected) throw new RangeError(`setFlat: vector has ${vector.length} values, the model has ${expected}`);
  let offset = 0;
  for (const p of params) {
    const size = p.variable.size;
    const slice = vector.subarray(offset, offset + size);
    tf.tidy(() => p.variable.assign(tf.tensor(slice, p.variable.shape, "float32")));
    offset += size;
  }
}

/** A view (no copy) of one parameter's values inside a flat vector. */
export function paramView(vector: Float32Array, slot: ParamSlot): Float32Array {
  return vector.subarray(slot.offset, slot.offset + slot.size);
}

/**
 * Flat indices of filter `j` of a parameter: with the filter axis last (Dense [in, out], Conv2D [kh, kw, in, out]),
 * filter j is every element whose last index is j.
 */
export function filterIndices(slot: ParamSlot, j: number): Int32Array {
  if (j < 0 || j >= slot.filters) throw new RangeError(`filter ${j} out of range for ${slot.name} (${slot.filters} filters)`);
  const out = new Int32Array(slot.filterSize);
  for (let i = 0; i < slot.filterSize; i++) out[i] = slot.offset + i * slot.filters + j;
  return out;
}

/** Euclidean norm of every filter of a parameter. */
export function filterNorms(vector: Float32Array, slot: ParamSlot): Float64Array {
  const sums = new Float64Array(slot.filters);
  for (let i = 0; i < slot.size; i++) {
    const v = vector[slot.offset + i]!;
    sums[i % slot.filters]! += v * v;
  }
  return sums.map(Math.sqrt);
}

/** Splits a flat vector into one tensor per parameter (caller disposes). */
export function unflatten(params: Param[], vector: Float32Array): tf.Tensor[] {
  let offset = 0;
  return params.map((p) => {
    const t = tf.tensor(vector.slice(offset, offset + p.variable.size), p.variable.shape, "float32");
    offset += p.variable.size;
    return t;
  });
}

/** Concatenates per-parameter tensors into one flat vector. */
export function flatten(tensors: tf.Tensor[]): Float32Array {
  const total = tensors.reduce((n, t) => n + t.size, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}
