/**
 * A drawn digit made to look like an MNIST digit, as LeCun et al. prepared theirs: the ink's bounding box scaled to
 * fit 20x20 (aspect kept), then placed in a 28x28 field with its centre of mass at the centre. Without this a digit
 * drawn small or off-centre is far outside what the network saw in training, and its activations say little.
 */

/** Box-average an n x n grayscale image down to m x m (n a multiple of m). */
export function downsample(pixels: Float32Array, n: number, m: number): Float32Array {
  const f = n / m;
  const out = new Float32Array(m * m);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[Math.floor(y / f) * m + Math.floor(x / f)]! += pixels[y * n + x]! / (f * f);
  return out;
}

function bilinear(src: Float32Array, w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const at = (i: number, j: number) => (i >= 0 && j >= 0 && i < w && j < h ? src[j * w + i]! : 0);
  const fx = x - x0;
  const fy = y - y0;
  return at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
}

/** An n x n image with ink in [0, 1] to MNIST's framing; an empty image stays empty. */
export function mnistFrame(pixels: Float32Array, n: number, size = 28, box = 20): Float32Array {
  let top = n, left = n, bottom = -1, right = -1;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    if (pixels[y * n + x]! > 0.05) {
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  const out = new Float32Array(size * size);
  if (bottom < 0) return out;
  const w = right - left + 1;
  const h = bottom - top + 1;
  const scale = box / Math.max(w, h);
  const sw = Math.max(1, Math.round(w * scale));
  const sh = Math.max(1, Math.round(h * scale));
  const scaled = new Float32Array(sw * sh);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) scaled[y * sw + x] = bilinear(pixels.subarray(0), n, n, left + (x + 0.5) / scale - 0.5, top + (y + 0.5) / scale - 0.5);
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const v = scaled[y * sw + x]!;
    mass += v;
    cx += v * x;
    cy += v * y;
  }
  const dx = Math.round(size / 2 - (mass ? cx / mass : sw / 2) - 0.5);
  const dy = Math.round(size / 2 - (mass ? cy / mass : sh / 2) - 0.5);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const tx = x + dx;
    const ty = y + dy;
    if (tx >= 0 && ty >= 0 && tx < size && ty < size) out[ty * size + tx] = Math.min(1, scaled[y * sw + x]!);
  }
  return out;
}
