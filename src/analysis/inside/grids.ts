/**
 * Image grids of what a network sees and looks at (PNG bytes): test images, their saliency maps, per-layer
 * activations, top-k images per direction. Shared by the black-box experiments and `quirklab inspect`. Colour images
 * are drawn in gray (their channel mean; a saliency map's channel sum, which keeps its sign).
 */
import type { Rng } from "../../core/rng.js";
import { imageGridPng } from "../../core/image-grid.js";
import { featureSize, type Dataset } from "../../data/dataset.js";
import { tf } from "../../engine/tf.js";
import type { Sequential } from "../../models/sequential.js";
import { gradientSaliency, smoothGrad } from "./saliency.js";

export function randomUnitVector(width: number, rng: Rng): Float32Array {
  const v = Float32Array.from({ length: width }, () => rng.normal());
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / norm);
}

/** Height, width and channels of one example as a picture (a flat vector is one row of pixels). */
function pictureShape(shape: number[]): { height: number; width: number; channels: number } {
  if (shape.length === 3) return { height: shape[0]!, width: shape[1]!, channels: shape[2]! };
  if (shape.length === 2) return { height: shape[0]!, width: shape[1]!, channels: 1 };
  return { height: shape[0]!, width: 1, channels: 1 };
}

/** One gray plane per example: channels averaged (an image) or summed (a signed map). */
function toPlane(values: Float32Array, channels: number, reduce: "mean" | "sum"): Float32Array {
  if (channels === 1) return values;
  const out = new Float32Array(values.length / channels);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += values[p * channels + c]!;
    out[p] = reduce === "mean" ? s / channels : s;
  }
  return out;
}

/** Per hidden layer, the activations of the first `count` examples as tiles of `columns` units per row (PNG). */
export function activationGrids(model: Sequential, data: Dataset, count: number): { layer: string; units: number; columns: number; png: Uint8Array }[] {
  const n = Math.min(count, data.n);
  const size = featureSize(data);
  const x = tf.tensor2d(data.x.subarray(0, n * size), [n, size]);
  const outputs = model.layerOutputs(x);
  try {
    return outputs
      .filter((o) => o.kind === "Activation")
      .map((o) => {
        const units = o.output.size / n;
        const columns = 16;
        const rows = Math.ceil(units / columns);
        const values = o.output.dataSync() as Float32Array;
        const tiles = Array.from({ length: n }, (_, i) => {
          const tile = new Float32Array(rows * columns);
          const own = values.subarray(i * units, (i + 1) * units);
          const largest = Math.max(1e-12, ...Array.from(own));
          own.forEach((v, u) => (tile[u] = Math.max(0, v) / largest));
          return tile;
        });
        return { layer: o.name, units, columns, png: imageGridPng(tiles, rows, columns, n, { zoom: 4 }) };
      });
  } finally {
    tf.dispose([x, ...outputs.map((o) => o.output)]);
  }
}

/** Examples, their gradient saliency and their SmoothGrad, each map scaled to [-1, 1] by its own largest magnitude. */
export function saliencyGrid(model: Sequential, data: Dataset, options: { examples: number; samples: number; noise: number }, rng: Rng): Uint8Array {
  const n = Math.min(options.examples, data.n);
  const size = featureSize(data);
  const { height, width, channels } = pictureShape(data.shape);
  const x = tf.tensor2d(data.x.subarray(0, n * size), [n, size]);
  const plain = gradientSaliency(model, x);
  const smooth = smoothGrad(model, x, rng, { samples: options.samples, noise: options.noise });
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(toPlane(data.x.subarray(i * size, (i + 1) * size), channels, "mean"));
  for (const map of [plain, smooth]) {
    const values = map.dataSync() as Float32Array;
    for (let i = 0; i < n; i++) {
      const m = toPlane(values.subarray(i * size, (i + 1) * size), channels, "sum");
      const largest = Math.max(1e-12, ...Array.from(m, Math.abs));
      rows.push(m.map((v) => v / largest));
    }
  }
  tf.dispose([x, plain, smooth]);
  return imageGridPng(rows, height, width, n, { zoom: 2, signedFrom: n });
}

/** Rows of top-k images, one row per direction. */
export function topKGrid(data: Dataset, rows: Int32Array[]): Uint8Array {
  const size = featureSize(data);
  const { height, width, channels } = pictureShape(data.shape);
  const images = rows.flatMap((row) => Array.from(row, (i) => toPlane(data.x.subarray(i * size, (i + 1) * size), channels, "mean")));
  return imageGridPng(images, height, width, rows[0]?.length ?? 1, { zoom: 1 });
}
