/**
 * A dataset converted to a model's input shape: colour to gray (ITU-R BT.601 luma) or gray to colour (repeated), and
 * a bilinear resize to the model's height and width. Returns what was done in words, which the report states: an
 * inspection on converted data measures the model on those converted images.
 */
import { DataError } from "../core/errors.js";
import { featureSize, type Dataset } from "./dataset.js";

const asImage = (shape: number[]): [number, number, number] | null =>
  shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : shape.length === 2 ? [shape[0]!, shape[1]!, 1] : null;

export function conformToInput(data: Dataset, inputShape: number[]): { data: Dataset; conversion: string | null } {
  const want = inputShape.reduce((a, b) => a * b, 1);
  if (want === featureSize(data)) return { data, conversion: null };
  const from = asImage(data.shape);
  // a flat input of h*w*c values is an image of the dataset's own layout once converted
  const to = asImage(inputShape) ?? (from && inputShape.length === 1 ? flatTarget(inputShape[0]!, from) : null);
  if (!from || !to) {
    throw new DataError(`the model takes inputs of shape ${inputShape.join("x")}, the data ${data.shape.join("x")}: no conversion between them`, "inspect the model on data of its own input shape");
  }
  const [h0, w0, c0] = from;
  const [h1, w1, c1] = to;
  if (!((c0 === c1) || (c0 === 3 && c1 === 1) || (c0 === 1 && c1 === 3))) {
    throw new DataError(`the model takes ${c1} channel(s), the data has ${c0}: no conversion between them`, "inspect the model on data with its number of channels");
  }
  const size0 = h0 * w0 * c0;
  const size1 = h1 * w1 * c1;
  const x = new Float32Array(data.n * size1);
  const plane = new Float32Array(h0 * w0 * c1);
  for (let i = 0; i < data.n; i++) {
    const src = data.x.subarray(i * size0, (i + 1) * size0);
    // channels first, at the source size
    for (let p = 0; p < h0 * w0; p++) {
      if (c0 === c1) for (let c = 0; c < c1; c++) plane[p * c1 + c] = src[p * c0 + c]!;
      else if (c1 === 1) plane[p] = 0.299 * src[p * 3]! + 0.587 * src[p * 3 + 1]! + 0.114 * src[p * 3 + 2]!;
      else for (let c = 0; c < 3; c++) plane[p * 3 + c] = src[p]!;
    }
    resizeBilinear(plane, h0, w0, c1, x.subarray(i * size1, (i + 1) * size1), h1, w1);
  }
  const steps = [c0 !== c1 ? (c1 === 1 ? "colour to gray (BT.601 luma)" : "gray repeated into 3 channels") : null, h0 !== h1 || w0 !== w1 ? `bilinear resize ${h0}x${w0} -> ${h1}x${w1}` : null].filter(Boolean);
  return { data: { ...data, name: `${data.name}|as-${h1}x${w1}x${c1}`, x, shape: inputShape.length === 1 ? inputShape : [h1, w1, c1] }, conversion: steps.join(", ") };
}

/** The image a flat input of n values stands for: the source's channels at a square size (784 -> 28x28). */
function flatTarget(n: number, [, , c]: [number, number, number]): [number, number, number] | null {
  const side = Math.round(Math.sqrt(n / c));
  if (side * side * c === n) return [side, side, c];
  const gray = Math.round(Math.sqrt(n));
  return gray * gray === n ? [gray, gray, 1] : null;
}

/** Bilinear resampling with pixel centres aligned (half-pixel offsets), channels last. */
function resizeBilinear(src: Float32Array, h0: number, w0: number, c: number, out: Float32Array, h1: number, w1: number): void {
  if (h0 === h1 && w0 === w1) {
    out.set(src.subarray(0, h0 * w0 * c));
    return;
  }
  for (let y = 0; y < h1; y++) {
    const fy = Math.min(h0 - 1, Math.max(0, ((y + 0.5) * h0) / h1 - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h0 - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < w1; x++) {
      const fx = Math.min(w0 - 1, Math.max(0, ((x + 0.5) * w0) / w1 - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w0 - 1, x0 + 1);
      const dx = fx - x0;
      for (let ch = 0; ch < c; ch++) {
        const at = (yy: number, xx: number) => src[(yy * w0 + xx) * c + ch]!;
        out[(y * w1 + x) * c + ch] = (1 - dy) * ((1 - dx) * at(y0, x0) + dx * at(y0, x1)) + dy * ((1 - dx) * at(y1, x0) + dx * at(y1, x1));
      }
    }
  }
}
