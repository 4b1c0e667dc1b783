/** A user's IDX folder for tests: the first examples of a dataset, optionally relabelled or cropped. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeIdx } from "../../src/core/idx.js";
import type { Dataset } from "../../src/data/dataset.js";

export interface SplitSpec {
  n: number;
  /** Side of a centre crop of the 28x28 digits (28: none). */
  side?: number;
  /** Label map, e.g. (y) => (y + 1) % 10. */
  relabel?: (y: number) => number;
}

function writeSplit(dir: string, prefix: string, ds: Dataset, spec: SplitSpec): void {
  const side = spec.side ?? 28;
  const offset = (28 - side) >> 1;
  const images = new Uint8Array(spec.n * side * side);
  for (let i = 0; i < spec.n; i++) {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) images[(i * side + r) * side + c] = Math.round(ds.x[i * 784 + (r + offset) * 28 + c + offset]! * 255);
    }
  }
  const labels = Uint8Array.from(ds.y.subarray(0, spec.n), (y) => (spec.relabel ? spec.relabel(y) : y));
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), writeIdx(images, [spec.n, side, side]));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), writeIdx(labels, [spec.n]));
}

export function writeIdxFolder(dir: string, full: { train: Dataset; test: Dataset }, train: SplitSpec, test: SplitSpec): string {
  mkdirSync(dir, { recursive: true });
  writeSplit(dir, "train", full.train, train);
  writeSplit(dir, "t10k", full.test, test);
  return dir;
}
