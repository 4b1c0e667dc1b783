/**
 * Registers quirklab's native kernels over the tfjs `cpu` backend. Each kernel keeps tfjs's semantics and hands
 * anything it does not cover (other dtypes, NCHW, unusual broadcasts) to the stock kernel it replaced, so
 * registering never changes what a program computes, only how fast.
 */
import { tf } from "./tf.js";
import { RELU, RELU_GRAD, reluGrad, SCALED_SUBTRACT, SIGN_STEP, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD, markNative } from "./fused-kernels.js";

type TensorInfo = import("@tensorflow/tfjs").TensorInfo;
type KernelConfig = import("@tensorflow/tfjs").KernelConfig;
type KernelFunc = KernelConfig["kernelFunc"];
type Attrs = Record<string, unknown>;

/** The addon's functions (native/src/addon.cc). */
export interface NativeAddon {
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number, ta: number, tb: number, aStride: number, bStride: number, bias: Float32Array | null, act: number): void;
  binary(op: number, a: Float32Array, aStrides: Int32Array, b: Float32Array, bStrides: Int32Array, out: Float32Array | Uint8Array, shape: Int32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array, p0: number, p1: number): void;
  reduce(op: number, x: Float32Array, out: Float32Array | Int32Array, outer: number, n: number, inner: number): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, n: number): void;
  scaledSubtract(x: Float32Array, y: Float32Array, out: Float32Array, alpha: number): void;
  reluGrad(dy: Float32Array, y: Float32Array, out: Float32Array): void;
  signStep(x: Float32Array, g: Float32Array, out: Float32Array, step: number, clipMin: number, clipMax: number): void;
  softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, rows: number, n: number, grad: Float32Array | null, gradScale: number): number;
  conv(kind: number, shape: Int32Array, first: Float32Array, second: Float32Array, out: Float32Array): void;
  pool(kind: number, shape: Int32Array, first: Float32Array, second: Float32Array | null, out: Float32Array): void;
  setThreads(n: number): number;
  setIsa(name: string): string;
  describe(): Record<string, unknown>;
}

interface CpuBackend {
  data: { get(dataId: object): { values: unknown }; has(dataId: object): boolean };
  makeTensorInfo(shape: number[], dtype: string, values?: unknown): TensorInfo;
  write(values: unknown, shape: number[], dtype: string): object;
  move(dataId: object, values: unknown, shape: number[], dtype: string, refCount: number): void;
  readSync(dataId: object): unknown;
  bufferSync(t: TensorInfo): unknown;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Recycles the output arrays of native kernels. Every tfjs-cpu tensor is a fresh ArrayBuffer; at training sizes each
 * one page-faults and V8 counts them as external memory, running a full GC every few steps whose threads steal the
 * second core from the GEMM pool (reference/perf.md). An array is reused only when no tensor, no reader and no view
 * can still see it: it was allocated here, every tensor stored on it is disposed, nobody called readSync on it (a
 * user may hold that array), and no kernel made a view of its buffer (tfjs-cpu's Slice returns subarrays).
 */
class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;
  private readonly owned = new WeakSet<Float32Array>();
  private readonly ownerOf = new WeakMap<ArrayBufferLike, Float32Array>();
  private readonly liveTensors = new WeakMap<Float32Array, number>();
  private readonly escaped = new WeakSet<Float32Array>();
  static readonly MIN_LENGTH = 1024;

  constructor(private readonly capBytes: number) {}

  alloc(length: number): Float32Array {
    const reused = length >= BufferPool.MIN_LENGTH ? this.free.get(length)?.pop() : undefined;
    if (reused) {
      this.freeBytes -= reused.byteLength;
      return reused;
    }
    const array = new Float32Array(length);
    if (length >= BufferPool.MIN_LENGTH) {
      this.owned.add(array);
      this.ownerOf.set(array.buffer, array);
    }
    return array;
  }

  /** Called whenever the backend stores values under a dataId. */
  stored(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const owner = this.ownerOf.get((values as Float32Array).buffer);
    if (!owner) return;
    if (owner !== values) this.escaped.add(owner); // a view of a pooled buffer
    else this.liveTensors.set(owner, (this.liveTensors.get(owner) ?? 0) + 1);
  }

  read(values: unknown): void {
    if (values instanceof Float32Array && this.owned.has(values)) this.escaped.add(values);
  }

  released(values: unknown): void {
    if (!(values instanceof Float32Array) || !this.owned.has(values)) return;
    const live = (this.liveTensors.get(values) ?? 1) - 1;
    this.liveTensors.set(values, live);
    if (live > 0 || this.escaped.has(values) || this.freeBytes + values.byteLength > this.capBytes) return;
    const list = this.free.get(values.length) ?? [];
    list.push(values);
    this.free.set(values.length, list);
    this.freeBytes += values.byteLength;
  }

  install(backend: CpuBackend): void {
    const write = backend.write.bind(backend);
    const move = backend.move.bind(backend);
    const readSync = backend.readSync.bind(backend);
    const bufferSync = backend.bufferSync.bind(backend);
    const disposeData = backend.disposeData.bind(backend);
    // Stock kernels (GatherV2, Tile, StridedSlice...) read their inputs through bufferSync -> readSync for the length of
    // the call; only a read that returns to the user hands the array out. What a kernel stores is seen by `stored`.
    let inKernelRead = false;
    backend.write = (values, shape, dtype) => {
      this.stored(values);
      return write(values, shape, dtype);
    };
    backend.move = (dataId, values, shape, dtype, refCount) => {
      this.stored(values);
      move(dataId, values, shape, dtype, refCount);
    };
    backend.readSync = (dataId) => {
      if (!inKernelRead && backend.data.has(dataId)) this.read(backend.data.get(dataId).values);
      return readSync(dataId);
    };
    backend.bufferSync = (t) => {
      inKernelRead = true;
      try {
        return bufferSync(t);
      } finally {
        inKernelRead = false;
      }
    };
    backend.disposeData = (dataId, force) => {
      const values = backend.data.has(dataId) ? backend.data.get(dataId).values : undefined;
      const result = disposeData(dataId, force);
      if (values !== undefined && !backend.data.has(dataId)) this.released(values);
      return result;
    };
  }
}

const BINARY: Record<string, number> = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, Maximum: 4, Minimum: 5, SquaredDifference: 6 };
const COMPARE: Record<string, number> = { Equal: 100, NotEqual: 101, Greater: 102, GreaterEqual: 103, Less: 104, LessEqual: 105 };
const UNARY: Record<string, number> = {
  Relu: 0, Step: 1, Neg: 2, Square: 3, Sqrt: 4, Exp: 5, Log: 6, Log1p: 7, Sign: 8, Abs: 9, Tanh: 10, Sigmoid: 11, Softplus: 12, Reciprocal: 13, ClipByValue: 14,
};
const REDUCE: Record<string, number> = { Sum: 0, Max: 1, Min: 2, Mean: 3, ArgMax: -1, ArgMin: -2 };

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The stock kernels replaced, by name: tests compare against them, and every fallback calls them. */
export const stockKernels = new Map<string, KernelConfig>();

let installed: string[] | null = null;

/** Pooled bytes kept for reuse at most (QUIRKLAB_POOL_MB overrides; 0 turns the pool off). */
const POOL_BYTES = Number(typeof process !== "undefined" ? (process.env.QUIRKLAB_POOL_MB ?? 512) : 512) * 2 ** 20;
let bufferPool: BufferPool | null = null;
/** A kernel's output array: recycled from the pool when it is on. */
const outputArray = (length: number) => (bufferPool ? bufferPool.alloc(length) : new Float32Array(length));

export function registerNativeKernels(addon: NativeAddon): string[] {
  if (installed) return installed;
  if (POOL_BYTES > 0) {
    bufferPool = new BufferPool(POOL_BYTES);
    bufferPool.install(tf.findBackend("cpu") as unknown as CpuBackend);
  }
  const names: string[] = [];
  const register = (name: string, make: (stock: KernelFunc) => KernelFunc) => {
    const stock = tf.getKernel(name, "cpu");
    if (!stock) return;
    stockKernels.set(name, stock);
    tf.unregisterKernel(name, "cpu");
    tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
    names.push(name);
  };
  for (const [name, factory] of Object.entries(nativeKernelFactories(addon))) register(name, factory);
  for (const kernel of fusedKernels(addon)) {
    tf.registerKernel(kernel);
    names.push(kernel.kernelName);
  }
  // the forward is the native Relu just registered (stock fallback included); only the name, and so the gradient, differ
  tf.registerKernel({ kernelName: RELU, backendName: "cpu", kernelFunc: tf.getKernel("Relu", "cpu")!.kernelFunc });
  names.push(RELU);
  tf.registerGradient({
    kernelName: SOFTMAX_CROSS_ENTROPY,
    inputsToSave: ["logits", "labels"],
    // a closure per input: tfjs calls only those on a path to what is differentiated, and labels never are
    gradFunc: (dy, saved) => {
      const [logits, labels] = saved as tf.Tensor[];
      return {
        logits: () => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { logits: logits!, labels: labels!, dy: dy as tf.Tensor }) as tf.Tensor,
        labels: () => tf.zerosLike(labels!),
      };
    },
  });
  tf.registerGradient({
    kernelName: RELU,
    outputsToSave: [true],
    // dy * step(relu(x)) equals tfjs's dy * step(x) for every x, -0 and NaN included: y is x where x > 0 or x is NaN, else 0
    gradFunc: (dy, saved) => ({ x: () => reluGrad(dy as tf.Tensor, saved[0] as tf.Tensor) }),
  });
  tf.registerGradient({
    kernelName: RELU_GRAD,
    inputsToSave: ["y"],
    // linear in dy with slope step(y); step has a zero derivative: what tfjs gives for mul(dy, step(y))
    gradFunc: (ddy, saved) => {
      const [y] = saved as tf.Tensor[];
      return { dy: () => reluGrad(ddy as tf.Tensor, y!), y: () => tf.zerosLike(y!) };
    },
  });
  markNative(names);
  installed = names;
  return names;
}

/**
 * Kernels with no stock counterpart (see fused-kernels.ts): callers use them only where registered and compose them
 * from stock ops elsewhere. Exported for tests that run them against that composition.
 */
export function fusedKernels(addon: NativeAddon): KernelConfig[] {
  const data = (backend: unknown, t: TensorInfo) => (backend as CpuBackend).data.get(t.dataId).values;
  const float32 = (backend: unknown, t: TensorInfo) => {
    const stored = data(backend, t);
    return stored instanceof Float32Array ? stored : Float32Array.from(stored as ArrayLike<number>);
  };
  const check = (logits: TensorInfo, labels: TensorInfo) => {
    if (logits.dtype !== "float32" || logits.shape.length !== 2 || labels.dtype !== "int32" || labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0])
      throw new Error(`${SOFTMAX_CROSS_ENTROPY}: needs float32 logits [N, C] and int32 labels [N], got ${logits.dtype} [${logits.shape}] and ${labels.dtype} [${labels.shape}]`);
    return { rows: logits.shape[0]!, n: logits.shape[1]! };
  };
  // a kernel over two float32 tensors of one shape, with an output of that shape
  const elementwise = (name: string, first: string, second: string, run: (a: Float32Array, b: Float32Array, out: Float32Array, attrs: Attrs) => void): KernelConfig => ({
    kernelName: name,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const a = (inputs as Record<string, TensorInfo>)[first]!, b = (inputs as Record<string, TensorInfo>)[second]!;
      if (a.dtype !== "float32" || b.dtype !== "float32" || !tf.util.arraysEqual(a.shape, b.shape))
        throw new Error(`${name}: needs two float32 tensors of one shape, got ${a.dtype} [${a.shape}] and ${b.dtype} [${b.shape}]`);
      const out = outputArray(size(a.shape));
      run(float32(backend, a), float32(backend, b), out, attrs as Attrs);
      return (backend as CpuBackend).makeTensorInfo(a.shape, "float32", out);
    },
  });
  const int32 = (backend: unknown, t: TensorInfo) => {
    const stored = data(backend, t);
    return stored instanceof Int32Array ? stored : Int32Array.from(stored as ArrayLike<number>);
  };
  return [
    elementwise(SCALED_SUBTRACT, "x", "y", (x, y, out, attrs) => addon.scaledSubtract(x, y, out, Number(attrs.alpha))),
    elementwise(RELU_GRAD, "dy", "y", (dy, y, out) => addon.reluGrad(dy, y, out)),
    elementwise(SIGN_STEP, "x", "g", (x, g, out, attrs) => addon.signStep(x, g, out, Number(attrs.step), Number(attrs.clipMin), Number(attrs.clipMax))),
    {
      kernelName: SOFTMAX_CROSS_ENTROPY,
      backendName: "cpu",
      kernelFunc: ({ inputs, backend }) => {
        const { logits, labels } = inputs as Record<string, TensorInfo>;
        const { rows, n } = check(logits!, labels!);
        const loss = addon.softmaxCrossEntropy(float32(backend, logits!), int32(backend, labels!), rows, n, null, 0);
        return (backend as CpuBackend).makeTensorInfo([], "float32", Float32Array.of(loss));
      },
    },
    {
      kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
      backendName: "cpu",
      kernelFunc: ({ inputs, backend }) => {
        const { logits, labels, dy } = inputs as Record<string, TensorInfo>;
        const { rows, n } = check(logits!, labels!);
        const scale = (data(backend, dy!) as Float32Array)[0]! / Math.max(rows, 1);
        const grad = outputArray(rows * n);
        addon.softmaxCrossEntropy(float32(backend, logits!), int32(backend, labels!), rows, n, grad, scale);
        return (backend as CpuBackend).makeTensorInfo(logits!.shape, "float32", grad);
      },
    },
  ];
}

/** Builds each kernel around the stock one it falls back to. Exported for tests that call both directly. */
export function nativeKernelFactories(addon: NativeAddon): Record<string, (stock: KernelFunc) => KernelFunc> {
  // A float32 tensor's storage is not always a Float32Array: tfjs-cpu's Cast from int32/bool keeps the source array.
  const values = (backend: unknown, t: TensorInfo) => {
    const stored = (backend as CpuBackend).data.get(t.dataId).values;
    return stored instanceof Float32Array ? stored : Float32Array.from(stored as ArrayLike<number>);
  };
  const output = (backend: unknown, shape: number[], out: Float32Array | Int32Array, dtype: "float32" | "int32" = "float32") =>
    (backend as CpuBackend).makeTensorInfo(shape, dtype, out);
  const allFloat = (...ts: (TensorInfo | undefined)[]) => ts.every((t) => !t || t.dtype === "float32");
  const factories: Record<string, (stock: KernelFunc) => KernelFunc> = {};

  const matmul = (fused: boolean) => (stock: KernelFunc) => ((args) => {
    const { inputs, backend, attrs } = args;
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const { transposeA, transposeB, activation } = attrs as Attrs;
    if (!a || !b || !allFloat(a, b, bias) || a.shape.length < 2 || b.shape.length < 2) return stock(args);
    if (fused && (preluActivationWeights || (activation !== "linear" && activation !== "relu" && activation !== undefined))) return stock(args);
    const ra = a.shape.length, rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (k !== kb) return stock(args);
    const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
    const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
    let outer: number[];
    if (batchA === batchB && outerA.join() === outerB.join()) outer = outerA;
    else if (batchA === 1) outer = outerB;
    else if (batchB === 1) outer = outerA;
    else return stock(args);
    if (bias && size(bias.shape) !== n) return stock(args);
    const batch = Math.max(batchA, batchB);
    const out = outputArray(batch * m * n);
    addon.gemm(values(backend, a), values(backend, b), out, batch, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n, bias ? values(backend, bias) : null, activation === "relu" ? 1 : 0);
    return output(backend, [...outer, m, n], out);
  }) as KernelFunc;
  factories.BatchMatMul = matmul(false);
  factories._FusedMatMul = matmul(true);

  for (const [name, op] of [...Object.entries(BINARY), ...Object.entries(COMPARE)]) {
    const comparison = op >= 100;
    factories[name] = (stock) => ((args) => {
      const { a, b } = args.inputs as Record<string, TensorInfo>;
      if (!allFloat(a, b)) return stock(args);
      const shape = tf.backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
      if (shape.length > 8) return stock(args);
      const strides = (s: number[]) => {
        const out = new Int32Array(shape.length);
        let stride = 1;
        for (let i = s.length - 1, j = shape.length - 1; i >= 0; i--, j--) {
          out[j] = s[i] === 1 ? 0 : stride;
          stride *= s[i]!;
        }
        return out;
      };
      const out = comparison ? new Uint8Array(size(shape)) : outputArray(size(shape));
      addon.binary(op, values(args.backend, a!), strides(a!.shape), values(args.backend, b!), strides(b!.shape), out, Int32Array.from(shape));
      return (args.backend as CpuBackend).makeTensorInfo(shape, comparison ? "bool" : "float32", out);
    }) as KernelFunc;
  }

  for (const [name, op] of Object.entries(UNARY)) {
    factories[name] = (stock) => ((args) => {
      const { x } = args.inputs as Record<string, TensorInfo>;
      if (!allFloat(x)) return stock(args);
      const attrs = args.attrs as Attrs;
      const p0 = name === "Step" ? Number(attrs.alpha ?? 0) : name === "ClipByValue" ? Number(attrs.clipValueMin) : 0;
      const p1 = name === "ClipByValue" ? Number(attrs.clipValueMax) : 0;
      const out = outputArray(size(x!.shape));
      addon.unary(op, values(args.backend, x!), out, p0, p1);
      return output(args.backend, x!.shape, out);
    }) as KernelFunc;
  }

  for (const [name, op] of Object.entries(REDUCE)) {
    factories[name] = (stock) => ((args) => {
      const { x } = args.inputs as Record<string, TensorInfo>;
      if (!allFloat(x)) return stock(args);
      const attrs = args.attrs as Attrs;
      const rawAxis = (attrs.axis ?? attrs.reductionIndices) as number | number[];
      const axes = tf.util.parseAxisParam(rawAxis, x!.shape).sort((p, q) => p - q);
      if (axes.length === 0 || axes.some((axis, i) => i > 0 && axis !== axes[i - 1]! + 1)) return stock(args);
      const first = axes[0]!, last = axes[axes.length - 1]!;
      const shape = x!.shape;
      const outerSize = size(shape.slice(0, first)), n = size(shape.slice(first, last + 1)), inner = size(shape.slice(last + 1));
      if (n === 0) return stock(args);
      const keep = Boolean(attrs.keepDims);
      const outShape = keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
      const isArg = op < 0;
      const out = isArg ? new Int32Array(outerSize * inner) : outputArray(outerSize * inner);
      addon.reduce(op, values(args.backend, x!), out, outerSize, n, inner);
      return output(args.backend, outShape, out, isArg ? "int32" : "float32");
    }) as KernelFunc;
  }

  factories.Softmax = (stock) => ((args) => {
    const { logits } = args.inputs as Record<string, TensorInfo>;
    const dim = Number((args.attrs as Attrs).dim);
    const rank = logits!.shape.length;
    if (!allFloat(logits) || rank === 0 || (dim !== -1 && dim !== rank - 1)) return stock(args);
    const n = logits!.shape[rank - 1]!;
    const out = outputArray(size(logits!.shape));
    addon.softmax(values(args.backend, logits!), out, out.length / n, n);
    return output(args.backend, logits!.shape, out);
  }) as KernelFunc;

  type Info = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
  const convShape = (c: Info) =>
    Int32Array.from([c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels, c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.padInfo.top, c.padInfo.left, c.dilationHeight, c.dilationWidth]);
  const nhwc = (attrs: Attrs) => attrs.dataFormat === undefined || attrs.dataFormat === "NHWC";
  type Pad = "valid" | "same" | number;
  type Rounding = "floor" | "round" | "ceil" | undefined;

  factories.Conv2D = (stock) => ((args) => {
    const { x, filter } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as Attrs;
    if (!allFloat(x, filter) || !nhwc(a)) return stock(args);
    const info = tf.backend_util.computeConv2DInfo(x!.shape as never, filter!.shape as never, a.strides as never, a.dilations as never, a.pad as Pad, a.dimRoundingMode as Rounding, false, "channelsLast");
    const out = outputArray(info.batchSize * info.outHeight * info.outWidth * info.outChannels);
    addon.conv(0, convShape(info), values(args.backend, x!), values(args.backend, filter!), out);
    return output(args.backend, info.outShape, out);
  }) as KernelFunc;

  factories.Conv2DBackpropInput = (stock) => ((args) => {
    const { dy, filter } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as Attrs;
    if (!allFloat(dy, filter) || !nhwc(a)) return stock(args);
    const inputShape = a.inputShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter!.shape as never, a.strides as never, 1, a.pad as Pad, a.dimRoundingMode as Rounding, false, "channelsLast");
    const out = outputArray(size(inputShape));
    addon.conv(1, convShape(info), values(args.backend, dy!), values(args.backend, filter!), out);
    return output(args.backend, inputShape, out);
  }) as KernelFunc;

  factories.Conv2DBackpropFilter = (stock) => ((args) => {
    const { x, dy } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as Attrs;
    if (!allFloat(x, dy) || !nhwc(a)) return stock(args);
    const filterShape = a.filterShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(x!.shape as never, filterShape, a.strides as never, 1, a.pad as Pad, a.dimRoundingMode as Rounding, false, "channelsLast");
    const out = outputArray(size(filterShape));
    addon.conv(2, convShape(info), values(args.backend, x!), values(args.backend, dy!), out);
    return output(args.backend, filterShape, out);
  }) as KernelFunc;

  const poolInfo = (shape: number[], a: Attrs) =>
    tf.backend_util.computePool2DInfo(shape as never, a.filterSize as never, a.strides as never, 1, a.pad as Pad, a.dimRoundingMode as Rounding);
  const pool = (kind: number, gradient: boolean) => (stock: KernelFunc) => ((args) => {
    const inputs = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as Attrs;
    const x = gradient ? inputs.input! : inputs.x!;
    if (!allFloat(x, inputs.dy)) return stock(args);
    const info = poolInfo(x.shape, a);
    const outShape = gradient ? x.shape : info.outShape;
    const out = outputArray(size(outShape));
    const first = gradient ? values(args.backend, inputs.dy!) : values(args.backend, x);
    const second = kind === 1 ? values(args.backend, x) : null;
    addon.pool(kind, convShape(info), first, second, out);
    return output(args.backend, outShape, out);
  }) as KernelFunc;
  factories.MaxPool = pool(0, false);
  factories.MaxPoolGrad = pool(1, true);
  factories.AvgPool = pool(2, false);
  factories.AvgPoolGrad = pool(3, true);
  return factories;
}
