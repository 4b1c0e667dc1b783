/** Data augmentation as a training plugin: every random choice from the caller's seeded stream. */
import { tf } from "../engine/tf.js";
import type { Rng } from "../core/rng.js";
import type { TrainPlugin } from "./loop.js";

/**
 * Shifts every image of a batch by a random whole number of pixels in [-max, max] on each axis, filling with 0
 * (Hinton et al.'s teacher: "jittered by up to two pixels in any direction"). Images are height x width rows.
 */
export function jitterPlugin(height: number, width: number, max: number, rng: Rng): TrainPlugin {
  return {
    name: "jitter",
    beforeBatch(_state, batch) {
      if (max <= 0) return;
      const n = batch.x.shape[0]!;
      const size = height * width;
      const src = batch.x.dataSync() as Float32Array;
      if (src.length !== n * size) throw new RangeError(`jitter expects ${height}x${width} images, the batch has ${src.length / n} values per example`);
      const out = new Float32Array(src.length);
      for (let i = 0; i < n; i++) {
        const dx = rng.int(2 * max + 1) - max;
        const dy = rng.int(2 * max + 1) - max;
        for (let y = 0; y < height; y++) {
          const sy = y - dy;
          if (sy < 0 || sy >= height) continue;
          for (let x = 0; x < width; x++) {
            const sx = x - dx;
            if (sx >= 0 && sx < width) out[i * size + y * width + x] = src[i * size + sy * width + sx]!;
          }
        }
      }
      return { x: tf.tensor2d(out, [n, size]), y: tf.clone(batch.y), indices: batch.indices };
    },
  };
}
