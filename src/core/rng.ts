/**
 * quirklab's own random numbers. Every random choice (initialization, data order, noise, attack starts, subsets)
 * draws from a named stream derived from the run seed, so changing how one stream is used never shifts the draws
 * of another, and nothing depends on JavaScript's unseeded global generator or on tfjs's unseeded helpers.
 */

/** 32-bit FNV-1a of a string: a stable way to turn a stream name into seed material. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32: spreads a 32-bit seed over the generator state so nearby seeds give unrelated streams. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded generator (xoshiro128**): fast, 128-bit state, good statistical quality for simulation. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
    }
    const mix = splitmix32(seed);
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`int(n) needs 1 <= n <= 2^32, got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal by the polar Box-Muller method (the spare value is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array | Float32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp as never;
    }
    return items;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  /** A new seed for an external consumer (tfjs's seeded ops take a number). */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** A child stream, independent of how much this stream has been used. */
  fork(name: string): Rng {
    return new Rng(deriveSeed(this.seed, name));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The seed of stream `name` under run seed `seed`: a pure function of the two. */
export function deriveSeed(seed: number, name: string): number {
  const mix = splitmix32((seed ^ fnv1a(name)) >>> 0);
  mix();
  return mix();
}

/** The stream names quirklab uses; experiments may ask for others by name. */
export type StreamName = "init" | "data-order" | "data" | "noise" | "attack" | "dropout" | (string & {});

/**
 * The streams of one run. `get(name)` always returns the same stream object for a name, so a stream's draws
 * continue across calls; two names never share state.
 */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly seed: number) {}

  get(name: StreamName): Rng {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = new Rng(deriveSeed(this.seed, name));
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** A new stream with the draws `name` starts with, independent of how far `get(name)` has advanced. */
  fresh(name: StreamName): Rng {
    return new Rng(deriveSeed(this.seed, name));
  }
}
