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

/**
 * GEM's episodic memory: a fixed number of examples per finished task — the last ones of its stream, as GEM's ring
 * buffer ends up holding — never replaced by later tasks.
 */
export class EpisodicMemory {
  private xs: Float32Array[] = [];
  private ys: Int32Array[] = [];
  private features = 0;

  constructor(readonly perTask: number) {
    if (!Number.isInteger(perTask) || perTask < 1) throw new RangeError(`memories per task must be a positive integer, got ${perTask}`);
  }

  get size(): number {
    return this.ys.reduce((n, y) => n + y.length, 0);
  }

  /** Stores the last `perTask` examples of a finished task. */
  addTask(ds: Dataset): void {
    const size = featureSize(ds);
    if (this.features && size !== this.features) throw new RangeError(`memory holds examples of ${this.features} features, the task has ${size}`);
    this.features = size;
    const keep = Math.min(this.perTask, ds.n);
    const start = ds.n - keep;
    this.xs.push(ds.x.slice(start * size, ds.n * size));
    this.ys.push(ds.y.slice(start, ds.n));
  }

  /** `count` examples drawn uniformly (with replacement) from every task's memory together. */
  sample(count: number, rng: Rng): { x: Float32Array; y: Int32Array } {
    const total = this.size;
    if (!total) throw new RangeError("the episodic memory is empty");
    const x = new Float32Array(count * this.features);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      let j = rng.int(total);
      let t = 0;
      while (j >= this.ys[t]!.length) j -= this.ys[t++]!.length;
      x.set(this.xs[t]!.subarray(j * this.features, (j + 1) * this.features), i * this.features);
      y[i] = this.ys[t]![j]!;
    }
    return { x, y };
  }
}
