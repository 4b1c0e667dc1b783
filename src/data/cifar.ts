/**
 * CIFAR-10's binary batches (data_batch_1..5.bin, test_batch.bin from cifar-10-binary.tar.gz): records of one label
 * byte and 3,072 pixel bytes, the red, green and blue planes of a 32x32 image in turn. Converted to height x width x
 * channels in [0, 1], the layout of every quirklab dataset.
 */
import { DataError } from "../core/errors.js";

export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export function parseCifar10Batch(bytes: Uint8Array, source: string): { x: Float32Array; y: Int32Array; n: number } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DataError(`${source}: ${bytes.length} bytes is not a whole number of CIFAR-10 records (${RECORD} bytes each)`, "use the binary version's batch files (cifar-10-binary.tar.gz), unmodified");
  }
  const n = bytes.length / RECORD;
  const x = new Float32Array(n * 3 * PLANE);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const record = i * RECORD;
    const label = bytes[record]!;
    if (label > 9) throw new DataError(`${source}: record ${i} has label ${label}; CIFAR-10 labels are 0-9`, "is this CIFAR-100's binary format? only CIFAR-10 is read");
    y[i] = label;
    for (let p = 0; p < PLANE; p++) for (let c = 0; c < 3; c++) x[(i * PLANE + p) * 3 + c] = bytes[record + 1 + c * PLANE + p]! / 255;
  }
  return { x, y, n };
}
