/**
 * numpy arrays to a Dataset: images as [N, H, W], [N, H, W, C] (or PyTorch's [N, C, H, W], transposed) or [N, D];
 * uint8 pixels scaled by 1/255, float pixels taken as they are and required to lie in [0, 1] (quirklab's attacks and
 * noise assume that range); integer labels in 0..classes-1.
 */
import { DataError } from "../core/errors.js";
import { makeDataset, type Dataset } from "./dataset.js";
import type { NpyArray } from "./npy.js";

const isFloat = (a: NpyArray) => a.dtype.endsWith("f4") || a.dtype.endsWith("f8");

/** Labels as int32, checked to be whole numbers >= 0 (a [N, 1] column is accepted). */
export function labelsOf(y: NpyArray, source: string): Int32Array {
  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) throw new DataError(`${source}: labels must have shape (N,) or (N, 1), got (${y.shape.join(", ")})`, "pass class indices, not one-hot rows: y.argmax(1)");
  const out = new Int32Array(y.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = y.values[i]!;
    if (!Number.isInteger(v) || v < 0) throw new DataError(`${source}: label ${v} at index ${i} is not a class index (a whole number >= 0)`);
    out[i] = v;
  }
  return out;
}

export function datasetFromArrays(x: NpyArray, y: NpyArray, name: string, classes: number, sources: { x: string; y: string }): Dataset {
  const labels = labelsOf(y, sources.y);
  const shape = x.shape;
  if (shape.length < 2) throw new DataError(`${sources.x}: examples must have shape (N, ...), got (${shape.join(", ")})`);
  if (shape[0] !== labels.length) throw new DataError(`${name}: ${sources.x} holds ${shape[0]} examples but ${sources.y} holds ${labels.length} labels`, "use examples and labels of the same set");
  if (!(isFloat(x) || x.dtype.endsWith("u1"))) throw new DataError(`${sources.x}: dtype ${x.dtype}; images must be uint8 (0-255) or float32/float64 (0-1)`, "convert them: x.astype('uint8') or (x / 255).astype('float32')");
  const n = shape[0]!;
  let example = shape.slice(1);
  let values: ArrayLike<number> = x.values;
  let note = "";
  if (example.length === 2) example = [...example, 1];
  else if (example.length === 3 && (example[0] === 1 || example[0] === 3) && !(example[2] === 1 || example[2] === 3)) {
    // channels first (PyTorch's N, C, H, W): quirklab's images are channels last
    const [c, h, w] = example as [number, number, number];
    const src = x.values;
    const out = new Float64Array(src.length);
    for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[(i * h * w + p) * c + ch] = src[(i * c + ch) * h * w + p]!;
    values = out;
    example = [h, w, c];
    note = "|channels-last";
  }
  const scale = isFloat(x) ? 1 : 1 / 255;
  const pixels = new Float32Array(values.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < pixels.length; i++) {
    const v = values[i]! * scale;
    pixels[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (isFloat(x) && (!(min >= 0) || !(max <= 1))) {
    throw new DataError(`${sources.x}: float pixel values range over [${min}, ${max}]; quirklab expects [0, 1] (attacks clip to it)`, "pass raw pixels scaled to [0, 1] (x / 255), or uint8; a normalization your model expects belongs in the model");
  }
  return makeDataset(`${name}${note}`, pixels, labels, example, classes);
}
