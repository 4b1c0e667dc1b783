/** Grayscale image grids as PNG bytes (fast-png: pure JS, so experiments in the browser can write them too). */
import { encode } from "fast-png";

/**
 * A grid of grayscale images (values in [0, 1], or [-1, 1] when `signed` or from image `signedFrom` on: mid-gray is 0),
 * each `height` x `width`,
 * `columns` per row, separated by a 1-pixel white border and scaled up by `zoom` (nearest neighbour).
 */
export function imageGridPng(images: Float32Array[], height: number, width: number, columns: number, options: { zoom?: number; signed?: boolean; signedFrom?: number } = {}): Uint8Array {
  const zoom = options.zoom ?? 2;
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.ceil(images.length / cols);
  const cellW = width * zoom + 1;
  const cellH = height * zoom + 1;
  const W = cols * cellW + 1;
  const H = rows * cellH + 1;
  const data = new Uint8Array(W * H).fill(255);
  images.forEach((img, k) => {
    const ox = (k % cols) * cellW + 1;
    const oy = Math.floor(k / cols) * cellH + 1;
    for (let y = 0; y < height * zoom; y++)
      for (let x = 0; x < width * zoom; x++) {
        const v = img[Math.floor(y / zoom) * width + Math.floor(x / zoom)]!;
        const signed = options.signed || (options.signedFrom !== undefined && k >= options.signedFrom);
        const unit = signed ? (v + 1) / 2 : v;
        // Digits are drawn dark on light, as on paper.
        data[(oy + y) * W + ox + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, unit))));
      }
  });
  return encode({ width: W, height: H, data, channels: 1, depth: 8 });
}
