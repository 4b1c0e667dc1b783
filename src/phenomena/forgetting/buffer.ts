/** A replay memory: a uniform reservoir sample (Vitter's algorithm R) of every example offered so far. */
import type { Rng } from "../../core/rng.js";
import { featureSize, type Dataset } from "../../data/dataset.js";

export class ReservoirBuffer {
  readonly x: Float32Array;
  readonly y: Int32Array;
  /** How many slots are filled. */
  size = 0;
  /** How many examples have been offered. */
  seen = 0;

  constructor(
    readonly capacity: number,
    readonly features: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay buffer capacity must be a positive integer, got ${capacity}`);
    this.x = new Float32Array(capacity * features);
    this.y = new Int32Array(capacity);
  }

  /** Offers one example; it is kept with probability capacity / seen, replacing a uniformly chosen one. */
  offer(x: Float32Array, y: number): void {
    this.seen++;
    let slot = -1;
    if (this.size < this.capacity) slot = this.size++;
    else {
      const j = this.rng.int(this.seen);
      if (j < this.capacity) slot = j;
    }
    if (slot < 0) return;
    this.x.set(x, slot * this.features);
    this.y[slot] = y;
  }

  offerAll(ds: Dataset): void {
    const size = featureSize(ds);
    for (let i = 0; i < ds.n; i++) this.offer(ds.x.subarray(i * size, (i + 1) * size), ds.y[i]!);
  }

  /** `count` stored examples drawn uniformly with replacement. */
  sample(count: number, rng: Rng): { x: Float32Array; y: Int32Array } {
    const x = new Float32Array(count * this.features);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const j = rng.int(this.size);
      x.set(this.x.subarray(j * this.features, (j + 1) * this.features), i * this.features);
      y[i] = this.y[j]!;
    }
    return { x, y };
  }
}
