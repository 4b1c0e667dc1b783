/**
 * The native kernels against the stock tfjs cpu kernels they replace: randomized inputs with odd and prime sizes,
 * every transpose, bias and activation combination, broadcasts, reductions, conv strides / padding / dilation,
 * pooling and all their gradients, on every ISA path this CPU has, with 1 and 2 threads.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { initBackend } from "../../src/engine/backend.js";
import { loadNativeAddon } from "../../src/engine/native.js";
import { registerNativeKernels } from "../../src/engine/native-kernels.js";
import { lossValue } from "../../src/engine/loss.js";
import { relu, reluGrad, scaledSubtract, signStep } from "../../src/engine/fused-kernels.js";
import { Rng } from "../../src/core/rng.js";

const addon = loadNativeAddon();

function randomTensor(shape: number[], rng: Rng, low = -1, high = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(low, high)), shape);
}

/** Each value as a string that tells -0 from 0 and NaN from everything: for bit-for-bit comparisons. */
const bitsOf = (values: ArrayLike<number>) => Array.from(values, (v) => (Object.is(v, -0) ? "-0" : String(v)));
/** n values in [low, high), about half of the first 49 replaced by `special` values in turn. */
function mixedWithSpecials(n: number, r: Rng, special: number[], low: number, high: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i < 49 && r.next() < 0.5 ? special[i % special.length]! : r.uniform(low, high)));
}

type Case = { name: string; run: (rng: Rng) => tf.Tensor | tf.Tensor[] };
const cases: Case[] = [];

for (const [m, k, n] of [[1, 1, 1], [7, 5, 13], [37, 97, 41], [131, 257, 67], [1000, 784, 10], [128, 784, 256], [6, 256, 16], [203, 530, 45]]) {
  for (const ta of [false, true])
    for (const tb of [false, true])
      cases.push({
        name: `matMul ${m}x${k}x${n} ta=${ta} tb=${tb}`,
        run: (r) => tf.matMul(randomTensor(ta ? [k!, m!] : [m!, k!], r), randomTensor(tb ? [n!, k!] : [k!, n!], r), ta, tb),
      });
}
cases.push({ name: "batched matMul 3x5x7 . 3x7x4", run: (r) => tf.matMul(randomTensor([3, 5, 7], r), randomTensor([3, 7, 4], r)) });
cases.push({ name: "batch-broadcast matMul 1x5x7 . 3x7x4", run: (r) => tf.matMul(randomTensor([1, 5, 7], r), randomTensor([3, 7, 4], r)) });
for (const activation of ["linear", "relu"] as const)
  for (const tb of [false, true])
    cases.push({
      name: `fused matMul + bias + ${activation} tb=${tb}`,
      run: (r) => tf.fused.matMul({ a: randomTensor([33, 19], r), b: randomTensor(tb ? [23, 19] : [19, 23], r), transposeB: tb, bias: randomTensor([23], r), activation }),
    });

const binaryOps = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, maximum: tf.maximum, minimum: tf.minimum, squaredDifference: tf.squaredDifference };
const shapePairs: [number[], number[]][] = [[[5, 7], [5, 7]], [[5, 7], []], [[], [5, 7]], [[5, 7], [7]], [[5, 1], [5, 7]], [[2, 1, 3, 4], [5, 1, 4]], [[300, 1000], [300, 1000]], [[300, 1000], [1000]], [[1], [1]]];
for (const [name, op] of Object.entries(binaryOps))
  for (const [sa, sb] of shapePairs)
    cases.push({ name: `${name} [${sa}] [${sb}]`, run: (r) => (op as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(randomTensor(sa, r), randomTensor(sb, r, 0.5, 2)) });

const comparisons = { equal: tf.equal, notEqual: tf.notEqual, greater: tf.greater, greaterEqual: tf.greaterEqual, less: tf.less, lessEqual: tf.lessEqual };
for (const [name, op] of Object.entries(comparisons))
  for (const [sa, sb] of [[[9, 7], [9, 7]], [[9, 7], [7]], [[9, 1], [9, 7]], [[], [4]]] as [number[], number[]][])
    cases.push({
      name: `${name} [${sa}] [${sb}] (bool out)`,
      // a coarse grid so that equal values occur
      run: (r) => tf.cast((op as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(tf.round(randomTensor(sa, r, -2, 2)), tf.round(randomTensor(sb, r, -2, 2))), "float32"),
    });
cases.push({
  name: "empty broadcasts [2,0,3] with [2,1,3]: add and greater",
  run: (r) => { const a = tf.zeros([2, 0, 3]), b = randomTensor([2, 1, 3], r); return [tf.add(a, b), tf.cast(tf.greater(a, b), "float32")]; },
});
cases.push({ name: "relu / step / clip keep NaN, sign maps it to 0", run: () => { const x = tf.tensor1d([NaN, -1, 0, 2]); return [tf.relu(x), tf.step(x, 0.5), tf.clipByValue(x, -0.5, 1), tf.sign(x)]; } });

const unaryOps: [string, (x: tf.Tensor) => tf.Tensor, number, number][] = [
  ["relu", tf.relu, -1, 1], ["step", (x) => tf.step(x, 0.3), -1, 1], ["neg", tf.neg, -1, 1], ["square", tf.square, -3, 3],
  ["sqrt", tf.sqrt, 0, 4], ["exp", tf.exp, -5, 5], ["log", tf.log, 0.01, 10], ["log1p", tf.log1p, -0.5, 10], ["sign", tf.sign, -1, 1],
  ["abs", tf.abs, -1, 1], ["tanh", tf.tanh, -4, 4], ["sigmoid", tf.sigmoid, -8, 8], ["softplus", tf.softplus, -30, 30],
  ["reciprocal", tf.reciprocal, 0.1, 3], ["clipByValue", (x) => tf.clipByValue(x, -0.2, 0.4), -1, 1],
];
for (const [name, op, low, high] of unaryOps)
  for (const shape of [[7, 11], [70000]]) cases.push({ name: `${name} [${shape}]`, run: (r) => op(randomTensor(shape, r, low, high)) });

const reductions: [string, (x: tf.Tensor, axis: number | number[], keep: boolean) => tf.Tensor][] = [
  ["sum", (x, a, k) => tf.sum(x, a, k)], ["max", (x, a, k) => tf.max(x, a, k)], ["min", (x, a, k) => tf.min(x, a, k)], ["mean", (x, a, k) => tf.mean(x, a, k)],
  ["argMax", (x, a) => tf.argMax(x, a as number)], ["argMin", (x, a) => tf.argMin(x, a as number)],
];
for (const [name, op] of reductions)
  for (const [shape, axis] of [[[13, 17], 0], [[13, 17], 1], [[13, 17], -1], [[4, 5, 6], 1], [[4, 5, 6], [1, 2]], [[4, 5, 6], [0, 2]], [[400, 300], 0]] as [number[], number | number[]][]) {
    if (name.startsWith("arg") && Array.isArray(axis)) continue;
    for (const keep of [false, true]) cases.push({ name: `${name} [${shape}] axis ${axis} keep=${keep}`, run: (r) => op(randomTensor(shape, r), axis, keep) });
  }
cases.push({
  name: "max / min / sum over the leading axis of [400, 300] with a NaN in one column",
  run: (r) => { const x = tf.concat([randomTensor([200, 300], r), tf.concat([tf.fill([1, 1], NaN), randomTensor([1, 299], r)], 1), randomTensor([199, 300], r)]); return [tf.max(x, 0), tf.min(x, 0), tf.sum(x, 0)]; },
});
cases.push({ name: "mul by a float32 cast of a bool mask (storage not a Float32Array)", run: (r) => { const x = randomTensor([9, 7], r); return tf.mul(tf.cast(tf.greater(x, 0), "float32"), randomTensor([9, 7], r)); } });
cases.push({ name: "softmax [7,13]", run: (r) => tf.softmax(randomTensor([7, 13], r, -5, 5)) });
cases.push({ name: "softmax [3,4,5]", run: (r) => tf.softmax(randomTensor([3, 4, 5], r, -5, 5)) });
cases.push({ name: "logSumExp [9,10]", run: (r) => tf.logSumExp(randomTensor([9, 10], r, -5, 5), 1) });

type ConvCase = { x: number[]; f: number[]; stride: number; pad: "same" | "valid" | number; dilation: number };
const convCases: ConvCase[] = [
  { x: [1, 9, 9, 1], f: [3, 3, 1, 4], stride: 1, pad: "same", dilation: 1 },
  { x: [3, 11, 7, 2], f: [5, 5, 2, 3], stride: 1, pad: "valid", dilation: 1 },
  { x: [2, 12, 12, 3], f: [3, 3, 3, 5], stride: 2, pad: "same", dilation: 1 },
  { x: [2, 13, 13, 2], f: [2, 2, 2, 3], stride: 1, pad: "same", dilation: 1 },
  { x: [2, 10, 10, 2], f: [3, 3, 2, 2], stride: 1, pad: 1, dilation: 1 },
  { x: [2, 15, 15, 2], f: [3, 3, 2, 3], stride: 1, pad: "valid", dilation: 2 },
  { x: [2, 8, 8, 6], f: [1, 1, 6, 4], stride: 1, pad: "valid", dilation: 1 },
  { x: [16, 28, 28, 1], f: [5, 5, 1, 32], stride: 1, pad: "same", dilation: 1 },
  // large enough per image that im2col runs in several chunks of images
  { x: [7, 20, 20, 16], f: [5, 5, 16, 8], stride: 1, pad: "same", dilation: 1 },
];
for (const c of convCases) {
  const label = `x[${c.x}] f[${c.f}] s${c.stride} ${c.pad} d${c.dilation}`;
  const conv = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation);
  cases.push({ name: `conv2d ${label}`, run: (r) => conv(randomTensor(c.x, r), randomTensor(c.f, r)) });
  if (c.dilation === 1)
    cases.push({
      name: `conv2d gradients ${label}`,
      run: (r) => {
        const x = randomTensor(c.x, r);
        const f = randomTensor(c.f, r);
        const dy = randomTensor(conv(x, f).shape, r);
        return tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b))([x, f], dy);
      },
    });
}
for (const [x, size, stride, pad] of [[[2, 8, 8, 3], 2, 2, "valid"], [[2, 9, 9, 3], 3, 2, "same"], [[1, 7, 7, 2], 3, 1, "valid"], [[4, 4, 4, 1], 2, 2, "valid"]] as [number[], number, number, "same" | "valid"][]) {
  for (const kind of ["max", "avg"] as const) {
    const pool = (t: tf.Tensor) => (kind === "max" ? tf.maxPool : tf.avgPool)(t as tf.Tensor4D, size, stride, pad);
    cases.push({
      name: `${kind}Pool and gradient x[${x}] ${size}/${stride} ${pad}`,
      run: (r) => {
        const input = randomTensor(x, r);
        const dy = randomTensor(pool(input).shape, r);
        return [pool(input), tf.grad((t: tf.Tensor) => pool(t))(input, dy)];
      },
    });
  }
}

function evaluate(): Float32Array[][] {
  return cases.map((c, i) => {
    // read the values outside tidy: tidy walks a returned typed array element by element looking for tensors
    const outs = tf.tidy(() => {
      const out = c.run(new Rng(1000 + i));
      return Array.isArray(out) ? out : [out];
    });
    const arrays = outs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outs);
    return arrays;
  });
}

describe.skipIf(!addon)("native kernels against stock tfjs cpu", () => {
  let expected: Float32Array[][];
  beforeAll(async () => {
    await initBackend("cpu");
    expected = evaluate(); // stock kernels
    // count the addon's calls, so the comparison cannot silently run the stock kernels twice
    const counting = new Proxy(addon!, {
      get(target, key: string) {
        const value = (target as unknown as Record<string, unknown>)[key];
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls[key] = (calls[key] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    registered = registerNativeKernels(counting);
  });

  const calls: Record<string, number> = {};
  let registered: string[] = [];

  const isas = ["scalar", "avx2", "avx512"];
  for (const isa of isas)
    for (const threads of [1, 2]) {
      it(`matches on the ${isa} path with ${threads} thread(s) (relative error <= 1e-5)`, () => {
        const used = addon!.setIsa(isa);
        addon!.setThreads(threads);
        const got = evaluate();
        const failures: string[] = [];
        got.forEach((outs, i) =>
          outs.forEach((g, j) => {
            const e = expected[i]![j]!;
            let scale = 1e-6;
            let worst = 0;
            for (let q = 0; q < e.length; q++) if (!Number.isNaN(e[q]!)) scale = Math.max(scale, Math.abs(e[q]!));
            for (let q = 0; q < e.length; q++) if (!Number.isNaN(e[q]!)) worst = Math.max(worst, Math.abs(g[q]! - e[q]!));
            const sameNaN = e.every((v, q) => Number.isNaN(v) === Number.isNaN(g[q]!));
            if (g.length !== e.length || !sameNaN || !(worst / scale <= 1e-5)) failures.push(`${cases[i]!.name} [${j}]: relative error ${worst / scale}`);
          }),
        );
        expect(failures, `ISA ${used}`).toEqual([]);
      });
    }

  it("registered the hot kernels and the comparisons really ran them", () => {
    for (const name of ["BatchMatMul", "_FusedMatMul", "Add", "Equal", "Greater", "Multiply", "Relu", "Step", "Sum", "Max", "ArgMax", "Softmax", "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool", "MaxPoolGrad", "AvgPool", "AvgPoolGrad"]) {
      expect(registered).toContain(name);
    }
    for (const fn of ["gemm", "binary", "unary", "reduce", "softmax", "conv", "pool"]) expect(calls[fn] ?? 0, fn).toBeGreaterThan(0);
  });

  it("the buffer pool never hands out an array someone can still see", () => {
    const r = new Rng(9);
    const a = randomTensor([64, 64], r);
    // an array read with dataSync stays as it was after its tensor is disposed and same-size outputs are made
    const product = tf.matMul(a, a);
    const read = product.dataSync();
    const snapshot = Float32Array.from(read);
    product.dispose();
    for (let i = 0; i < 5; i++) tf.matMul(a, tf.add(a, 1)).dispose();
    expect(Array.from(read)).toEqual(Array.from(snapshot));
    // a slice is a view of its input's buffer in tfjs-cpu: it must survive its input's disposal
    const big = tf.add(a, 2);
    const rows = tf.slice(big, [0, 0], [8, 64]);
    const expected = Float32Array.from(tf.tidy(() => tf.slice(tf.add(a, 2), [0, 0], [8, 64])).dataSync());
    big.dispose();
    for (let i = 0; i < 5; i++) tf.add(a, 7).dispose();
    expect(Array.from(rows.dataSync())).toEqual(Array.from(expected));
    // a kept intermediate inside tidy is not recycled by the tidy's cleanup of its siblings
    const kept = tf.tidy(() => {
      const x = tf.mul(a, 3);
      tf.add(x, 1);
      return tf.relu(x);
    });
    const keptValues = Float32Array.from(kept.dataSync());
    for (let i = 0; i < 5; i++) tf.mul(a, 5).dispose();
    expect(Array.from(kept.dataSync())).toEqual(Array.from(keptValues));
    tf.dispose([a, rows, kept]);
  });

  it("recycles an array that a stock kernel read (gather reads through bufferSync), not one the user read", () => {
    const backend = tf.backend() as unknown as { data: { get(id: object): { values: unknown } } };
    const storage = (t: tf.Tensor) => backend.data.get(t.dataId).values;
    const x = tf.zeros([64, 64]);
    const reuses = (use: (t: tf.Tensor) => void) => {
      const first = tf.add(x, 1);
      const array = storage(first);
      use(first);
      first.dispose();
      const second = tf.add(x, 2);
      const same = storage(second) === array;
      second.dispose();
      return same;
    };
    expect(reuses(() => {})).toBe(true);
    expect(reuses((t) => tf.tidy(() => tf.gather(tf.reshape(t, [-1]), [0]).dataSync()))).toBe(true);
    expect(reuses((t) => t.dataSync())).toBe(false);
    x.dispose();
  });

  it("survives many back-to-back parallel regions (a lost task would hang here until the timeout)", () => {
    addon!.setThreads(2);
    const n = 40_000; // above the parallel grain: two tasks per call
    const x = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const out = new Float32Array(n);
    let checksum = 0;
    for (let i = 0; i < 30_000; i++) {
      addon!.unary(0, x, out, 0, 0); // relu
      checksum += out[i % n]!;
    }
    let expected = 0;
    for (let i = 0; i < 30_000; i++) expected += Math.max(0, x[i % n]!);
    expect(checksum).toBe(expected);
  }, 60_000);

  it("computes softmax cross-entropy and its gradient in one kernel each, as the composed ops do", () => {
    const before = calls.softmaxCrossEntropy ?? 0;
    const r = new Rng(21);
    for (const [rows, classes, spread] of [[1, 2, 1], [37, 10, 3], [256, 10, 80], [5, 1000, 10]] as const) {
      const logits = randomTensor([rows, classes], r, -spread, spread);
      // one label outside [0, classes): tfjs's oneHot makes that row's target all zero
      const labels = tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => (i === rows - 1 && rows > 1 ? classes : r.int(classes))), "int32");
      const composed = (z: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels as tf.Tensor1D, classes), tf.sub(z, tf.logSumExp(z, 1, true))), 1)));
      const fused = (z: tf.Tensor) => lossValue("softmax-ce", z, labels);
      const [wantValue, gotValue] = [composed, fused].map((f) => f(logits).dataSync()[0]!);
      expect(Math.abs(gotValue! - wantValue!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(wantValue!)));
      const want = tf.grad(composed)(logits).dataSync();
      const got = tf.grad(fused)(logits).dataSync();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst, `${rows}x${classes}`).toBeLessThanOrEqual(1e-6);
      tf.dispose([logits, labels]);
    }
    expect((calls.softmaxCrossEntropy ?? 0) - before).toBeGreaterThanOrEqual(8);
  });

  it("takes an SGD step in one kernel, bit for bit as sub(x, mul(y, alpha))", () => {
    const before = calls.scaledSubtract ?? 0;
    const r = new Rng(23);
    for (const shape of [[1], [7, 13], [784, 256]]) {
      const x = randomTensor(shape, r, -3, 3);
      const y = randomTensor(shape, r, -3, 3);
      for (const alpha of [0.01, 0.1234567, -2.5]) {
        const want = tf.tidy(() => tf.sub(x, tf.mul(y, alpha)).dataSync());
        const got = tf.tidy(() => scaledSubtract(x, y, alpha).dataSync());
        expect(Array.from(got), `${shape} alpha ${alpha}`).toEqual(Array.from(want));
      }
      tf.dispose([x, y]);
    }
    expect((calls.scaledSubtract ?? 0) - before).toBe(9);
  });

  it("takes a ReLU's backward in one kernel, bit for bit as mul(dy, step(y)), NaN and infinities included", () => {
    const before = calls.reluGrad ?? 0;
    const r = new Rng(24);
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30];
    for (const n of [1, 7, 65536]) {
      const pick = () => mixedWithSpecials(n, r, special, -2, 2);
      const dy = tf.tensor1d(pick());
      const y = tf.tensor1d(pick());
      const want = tf.tidy(() => tf.mul(dy, tf.step(y)).dataSync());
      const got = tf.tidy(() => reluGrad(dy, y).dataSync());
      expect(bitsOf(got), `n ${n}`).toEqual(bitsOf(want));
      tf.dispose([dy, y]);
    }
    expect((calls.reluGrad ?? 0) - before).toBe(3);
  });

  it("runs a ReLU whose backward is one pass, bit for bit as tfjs's relu, its gradient and its second derivative", () => {
    const before = calls.reluGrad ?? 0;
    const r = new Rng(26);
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30];
    const bits = (t: tf.Tensor) => bitsOf(t.dataSync());
    for (const n of [1, 7, 65_537]) {
      const pick = () => mixedWithSpecials(n, r, special, -2, 2);
      const [x, dy, w] = [tf.tensor1d(pick()), tf.tensor1d(pick()), tf.tensor1d(pick())];
      tf.tidy(() => {
        expect(bits(relu(x)), `forward n ${n}`).toEqual(bits(tf.relu(x)));
        const backward = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad(f)(x, dy);
        expect(bits(backward(relu)), `backward n ${n}`).toEqual(bits(backward((t) => tf.relu(t))));
        // the backward is linear in dy: its own gradient with respect to dy is w * step(x)
        const second = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((d: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(x, d), w)))(dy);
        expect(bits(second(relu)), `second order n ${n}`).toEqual(bits(second((t) => tf.relu(t))));
      });
      tf.dispose([x, dy, w]);
    }
    expect((calls.reluGrad ?? 0) - before).toBeGreaterThanOrEqual(9);
  });

  it("takes an FGSM / PGD step in one kernel, bit for bit as clipByValue(add(x, mul(sign(g), step)))", () => {
    const before = calls.signStep ?? 0;
    const r = new Rng(25);
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, 1];
    // independent of every kernel: float32 arithmetic by Math.fround, tfjs's sign (NaN and zeros give 0) and clip
    const reference = (x: Float32Array, g: Float32Array, step: number, lo: number, hi: number) =>
      x.map((xi, i) => {
        const s = g[i]! > 0 ? 1 : g[i]! < 0 ? -1 : 0;
        const v = Math.fround(xi + s * Math.fround(step));
        return v > hi ? Math.fround(hi) : v < lo ? Math.fround(lo) : v;
      });
    let kernelCalls = 0;
    for (const n of [1, 7, 65_537]) {
      const pick = () => mixedWithSpecials(n, r, special, -0.2, 1.2);
      const xs = pick(), gs = pick();
      const x = tf.tensor1d(xs), g = tf.tensor1d(gs);
      for (const [step, lo, hi] of [[0.1, 0, 1], [8 / 255, 0, 1], [0.3, -Infinity, Infinity], [0.05, 0.2, 0.7]] as const) {
        const composed = lo === -Infinity ? tf.add(x, tf.mul(tf.sign(g), step)) : tf.clipByValue(tf.add(x, tf.mul(tf.sign(g), step)), lo, hi);
        const want = tf.tidy(() => composed.dataSync());
        const got = tf.tidy(() => signStep(x, g, step, lo, hi).dataSync());
        kernelCalls++;
        expect(bitsOf(got), `n ${n} step ${step} [${lo}, ${hi}]`).toEqual(bitsOf(want));
        expect(bitsOf(got), `n ${n} step ${step} [${lo}, ${hi}] (reference)`).toEqual(bitsOf(reference(xs, gs, step, lo, hi)));
        composed.dispose();
      }
      tf.dispose([x, g]);
    }
    expect((calls.signStep ?? 0) - before).toBe(kernelCalls);
    expect(() => signStep(tf.zeros([2]), tf.zeros([2]), 0.1, 1, 0)).toThrow(/clipMin \(1\) must not exceed clipMax \(0\)/);
  });

  it("gives bit-identical GEMM and conv results for 1 and 2 threads", () => {
    addon!.setIsa("avx512");
    const run = () =>
      tf.tidy(() => {
        const r = new Rng(5);
        const mm = tf.matMul(randomTensor([200, 300], r), randomTensor([300, 170], r));
        const x = randomTensor([8, 14, 14, 8], r);
        const f = randomTensor([5, 5, 8, 16], r);
        const dy = randomTensor([8, 14, 14, 16], r);
        const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"))([x, f], dy);
        // the direct path (few taps) and strided reductions
        const x1 = randomTensor([8, 14, 14, 1], r);
        const f1 = randomTensor([5, 5, 1, 16], r);
        const [, gf1] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"))([x1, f1], randomTensor([8, 14, 14, 16], r));
        const direct = tf.conv2d(x1 as tf.Tensor4D, f1 as tf.Tensor4D, 1, "same");
        const withNaN = tf.concat([randomTensor([2500, 70], r), tf.fill([1, 70], NaN), randomTensor([2499, 70], r)]);
        const sums = [tf.sum(randomTensor([5000, 70], r), 0), tf.sum(randomTensor([70, 5000], r), 1), tf.mean(randomTensor([5000, 70], r), 0), tf.max(withNaN, 0)];
        return [mm, gx!, gf!, gf1!, direct, ...sums].map((t) => Array.from(t.dataSync()));
      });
    addon!.setThreads(1);
    const one = run();
    addon!.setThreads(2);
    expect(run()).toEqual(one);
  });
});
