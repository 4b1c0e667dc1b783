/**
 * Layers as small explicit modules: parameters, forward, and the first- and second-order derivative pieces the
 * exact HVP needs (see engine/module.ts). Activations are layers of their own so the R-operator stays local.
 */
import { denseForward, type DenseActivation } from "../engine/fused-dense.js";
import { relu } from "../engine/fused-kernels.js";
import { tf, type Tensor } from "../engine/tf.js";
import type { ForwardMode, Layer, Param } from "../engine/module.js";
import type { Rng } from "../core/rng.js";
import { initValues, type InitSpec } from "./init.js";

function makeParam(name: string, role: Param["role"], shape: number[], values: Float32Array, fanIn: number, fanOut: number): Param {
  // The variable takes its own reference to the initial values; without this dispose every model built kept a copy of
  // its initial weights alive after the model itself was disposed.
  const initial = tf.tensor(values, shape, "float32");
  const variable = tf.variable(initial, true, `${name}#${variableCounter++}`);
  initial.dispose();
  return {
    name,
    role,
    variable,
    filterAxis: shape.length - 1,
    fanIn,
    fanOut,
  };
}
let variableCounter = 0;

/** Reverse mode of a layer's forward by tfjs autodiff: first order only, which tfjs gets right. */
function autodiffVjp(forward: (x: Tensor, params: Tensor[]) => Tensor, x: Tensor, gy: Tensor, params: Tensor[]) {
  const grads = tf.grads((...args: Tensor[]) => forward(args[0]!, args.slice(1)))([x, ...params], gy);
  return { gx: grads[0]!, gparams: grads.slice(1) };
}

export class Dense implements Layer {
  readonly kind = "Dense";
  readonly params: Param[];
  constructor(
    readonly name: string,
    readonly inputs: number,
    readonly units: number,
    init: InitSpec,
    rng: Rng,
    readonly useBias = true,
  ) {
    const kernel = makeParam(`${name}/kernel`, "kernel", [inputs, units], initValues(init, inputs * units, inputs, units, rng), inputs, units);
    this.params = [kernel];
    if (useBias) this.params.push(makeParam(`${name}/bias`, "bias", [units], new Float32Array(units), inputs, units));
  }
  outputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 1 || inputShape[0] !== this.inputs) {
      throw new RangeError(`${this.name}: expects input [${this.inputs}], got [${inputShape.join(", ")}]`);
    }
    return [this.units];
  }
  forward(x: Tensor, params: Tensor[]): Tensor {
    return this.forwardActivated(x, params, "linear");
  }
  /** activation(forward(x)) as one fused kernel: Sequential uses it for a Dense followed by a ReLU. */
  forwardActivated(x: Tensor, [w, b]: Tensor[], activation: DenseActivation): Tensor {
    return denseForward(x, w!, b ?? null, activation);
  }
  jvp(x: Tensor, rx: Tensor | null, [w]: Tensor[], [vw, vb]: Tensor[]): Tensor {
    let rz = tf.matMul(x as tf.Tensor2D, vw as tf.Tensor2D);
    if (rx) rz = tf.add(rz, tf.matMul(rx as tf.Tensor2D, w as tf.Tensor2D));
    return vb ? tf.add(rz, vb) : rz;
  }
  vjp(x: Tensor, gy: Tensor, params: Tensor[]) {
    const gw = tf.matMul(x as tf.Tensor2D, gy as tf.Tensor2D, true, false);
    return { gx: this.inputVjp(x, gy, params), gparams: this.useBias ? [gw, tf.sum(gy, 0)] : [gw] };
  }
  inputVjp(_x: Tensor, gy: Tensor, [w]: Tensor[]): Tensor {
    return tf.matMul(gy as tf.Tensor2D, w as tf.Tensor2D, false, true);
  }
  rvjp(x: Tensor, rx: Tensor | null, gy: Tensor, rgy: Tensor, [w]: Tensor[], [vw]: Tensor[], needInput = true) {
    const rgx = needInput
      ? tf.add(tf.matMul(rgy as tf.Tensor2D, w as tf.Tensor2D, false, true), tf.matMul(gy as tf.Tensor2D, vw as tf.Tensor2D, false, true))
      : null;
    let rgw = tf.matMul(x as tf.Tensor2D, rgy as tf.Tensor2D, true, false);
    if (rx) rgw = tf.add(rgw, tf.matMul(rx as tf.Tensor2D, gy as tf.Tensor2D, true, false));
    return { rgx, rgparams: this.useBias ? [rgw, tf.sum(rgy, 0)] : [rgw] };
  }
}

export type Padding = "same" | "valid";

export class Conv2D implements Layer {
  readonly kind = "Conv2D";
  readonly params: Param[];
  constructor(
    readonly name: string,
    readonly inChannels: number,
    readonly filters: number,
    readonly kernelSize: number,
    readonly strides: number,
    readonly padding: Padding,
    init: InitSpec,
    rng: Rng,
    readonly useBias = true,
  ) {
    const k = kernelSize;
    const fanIn = k * k * inChannels;
    const fanOut = k * k * filters;
    const shape = [k, k, inChannels, filters];
    this.params = [makeParam(`${name}/kernel`, "kernel", shape, initValues(init, k * k * inChannels * filters, fanIn, fanOut, rng), fanIn, fanOut)];
    if (useBias) this.params.push(makeParam(`${name}/bias`, "bias", [filters], new Float32Array(filters), fanIn, fanOut));
  }
  outputShape([h, w, c]: number[]): number[] {
    if (c !== this.inChannels) throw new RangeError(`${this.name}: expects ${this.inChannels} input channels, got ${c}`);
    const out = (n: number) => (this.padding === "same" ? Math.ceil(n / this.strides) : Math.floor((n - this.kernelSize) / this.strides) + 1);
    return [out(h!), out(w!), this.filters];
  }
  private conv(x: Tensor, k: Tensor): Tensor {
    return tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, this.strides, this.padding);
  }
  forward(x: Tensor, [k, b]: Tensor[]): Tensor {
    const z = this.conv(x, k!);
    return b ? tf.add(z, b) : z;
  }
  jvp(x: Tensor, rx: Tensor | null, [k]: Tensor[], [vk, vb]: Tensor[]): Tensor {
    let rz = this.conv(x, vk!);
    if (rx) rz = tf.add(rz, this.conv(rx, k!));
    return vb ? tf.add(rz, vb) : rz;
  }
  vjp(x: Tensor, gy: Tensor, params: Tensor[]) {
    return autodiffVjp((input, p) => this.forward(input, p), x, gy, params);
  }
  inputVjp(x: Tensor, gy: Tensor, [k]: Tensor[]): Tensor {
    return tf.grad((input: Tensor) => this.conv(input, k!))(x, gy);
  }
  /** Both reverse-mode products of the bias-free conv at (input, kernel). */
  private convVjp(input: Tensor, kernel: Tensor, g: Tensor): { gx: Tensor; gk: Tensor } {
    const { gx, gparams } = autodiffVjp((inp, p) => this.conv(inp, p[0]!), input, g, [kernel]);
    return { gx, gk: gparams[0]! };
  }
  rvjp(x: Tensor, rx: Tensor | null, gy: Tensor, rgy: Tensor, [k]: Tensor[], [vk]: Tensor[], needInput = true) {
    // The conv is bilinear in (x, k): each product-rule term is a first-order vjp with one factor swapped for its tangent.
    const atRgy = this.convVjp(x, k!, rgy);
    const rgx = needInput ? tf.add(atRgy.gx, this.inputVjp(x, gy, [vk!])) : null;
    const rgk = rx ? tf.add(atRgy.gk, this.convVjp(rx, k!, gy).gk) : atRgy.gk;
    return { rgx, rgparams: this.useBias ? [rgk, tf.sum(rgy, [0, 1, 2])] : [rgk] };
  }
}

/** Pooling with non-overlapping windows (stride = pool size): no parameters, and a vjp that is linear in gy alone. */
abstract class Pool2D implements Layer {
  abstract readonly kind: string;
  readonly params: Param[] = [];
  constructor(
    readonly name: string,
    readonly poolSize: number,
  ) {}
  outputShape([h, w, c]: number[]): number[] {
    return [Math.floor(h! / this.poolSize), Math.floor(w! / this.poolSize), c!];
  }
  abstract forward(x: Tensor): Tensor;
  abstract jvp(x: Tensor, rx: Tensor | null): Tensor;
  vjp(x: Tensor, gy: Tensor) {
    return { gx: this.inputVjp(x, gy), gparams: [] };
  }
  inputVjp(x: Tensor, gy: Tensor): Tensor {
    return tf.grad((input: Tensor) => this.forward(input))(x, gy);
  }
  rvjp(x: Tensor, _rx: Tensor | null, _gy: Tensor, rgy: Tensor, _p: Tensor[] = [], _t: Tensor[] = [], needInput = true) {
    // max pooling's selection is locally constant and average pooling is linear: the vjp's tangent is the vjp of rgy
    return { rgx: needInput ? this.inputVjp(x, rgy) : null, rgparams: [] };
  }
}

/** Max pooling, the case whose tangent is a fixed selection. */
export class MaxPool2D extends Pool2D {
  readonly kind = "MaxPool2D";
  forward(x: Tensor): Tensor {
    return tf.maxPool(x as tf.Tensor4D, this.poolSize, this.poolSize, "valid");
  }
  /** 1 where the max of a window was taken from (the same element tfjs's gradient routes to), else 0. */
  private selection(x: Tensor): Tensor {
    const ones = tf.onesLike(this.forward(x));
    return tf.grad((input: Tensor) => this.forward(input))(x, ones);
  }
  jvp(x: Tensor, rx: Tensor | null): Tensor {
    if (!rx) return tf.zerosLike(this.forward(x));
    const area = this.poolSize * this.poolSize;
    return tf.mul(tf.avgPool(tf.mul(this.selection(x), rx) as tf.Tensor4D, this.poolSize, this.poolSize, "valid"), area);
  }
}

/** Average pooling: linear, so its tangent is itself. */
export class AvgPool2D extends Pool2D {
  readonly kind = "AvgPool2D";
  forward(x: Tensor): Tensor {
    return tf.avgPool(x as tf.Tensor4D, this.poolSize, this.poolSize, "valid");
  }
  jvp(x: Tensor, rx: Tensor | null): Tensor {
    return rx ? this.forward(rx) : tf.zerosLike(this.forward(x));
  }
}

/** A layer that relabels each example's values without changing them: its derivatives are reshapes back. */
abstract class Relabel implements Layer {
  abstract readonly kind: string;
  readonly params: Param[] = [];
  constructor(readonly name: string) {}
  abstract outputShape(inputShape: number[]): number[];
  /** The output's shape per example for a batch input x. */
  protected abstract shapeFor(x: Tensor): number[];
  forward(x: Tensor): Tensor {
    return tf.reshape(x, [x.shape[0]!, ...this.shapeFor(x)]);
  }
  jvp(x: Tensor, rx: Tensor | null): Tensor {
    return rx ? this.forward(rx) : tf.zeros([x.shape[0]!, ...this.shapeFor(x)]);
  }
  vjp(x: Tensor, gy: Tensor) {
    return { gx: this.inputVjp(x, gy), gparams: [] };
  }
  inputVjp(x: Tensor, gy: Tensor): Tensor {
    return tf.reshape(gy, x.shape);
  }
  rvjp(x: Tensor, _rx: Tensor | null, _gy: Tensor, rgy: Tensor, _p: Tensor[] = [], _t: Tensor[] = [], needInput = true) {
    return { rgx: needInput ? tf.reshape(rgy, x.shape) : null, rgparams: [] };
  }
}

/** A reshape of each example (Keras' Reshape, ONNX's Reshape to [N, ...]). */
export class Reshape extends Relabel {
  readonly kind = "Reshape";
  constructor(
    name: string,
    readonly targetShape: number[],
  ) {
    super(name);
  }
  outputShape(inputShape: number[]): number[] {
    const from = inputShape.reduce((a, b) => a * b, 1);
    const to = this.targetShape.reduce((a, b) => a * b, 1);
    if (from !== to) throw new RangeError(`${this.name}: cannot reshape [${inputShape.join(", ")}] (${from} values) to [${this.targetShape.join(", ")}] (${to})`);
    return this.targetShape;
  }
  protected shapeFor(): number[] {
    return this.targetShape;
  }
}

export class Flatten extends Relabel {
  readonly kind = "Flatten";
  outputShape(inputShape: number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }
  protected shapeFor(x: Tensor): number[] {
    return [x.size / x.shape[0]!];
  }
}

export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear"] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export class Activation implements Layer {
  readonly kind = "Activation";
  readonly params: Param[] = [];
  constructor(
    readonly name: string,
    readonly activation: ActivationName,
  ) {}
  outputShape(inputShape: number[]): number[] {
    return inputShape;
  }
  forward(x: Tensor): Tensor {
    switch (this.activation) {
      case "relu":
        return relu(x);
      case "tanh":
        return tf.tanh(x);
      case "sigmoid":
        return tf.sigmoid(x);
      case "linear":
        return x;
    }
  }
  /** sigma'(x) and sigma''(x). For relu the second derivative is 0 away from the kink, and tfjs takes sigma'(0) = 0. */
  private derivatives(x: Tensor): { d1: Tensor; d2: Tensor | null } {
    switch (this.activation) {
      case "relu":
        return { d1: tf.step(x), d2: null };
      case "linear":
        return { d1: tf.onesLike(x), d2: null };
      case "tanh": {
        const y = tf.tanh(x);
        const d1 = tf.sub(1, tf.square(y));
        return { d1, d2: tf.mul(tf.mul(-2, y), d1) };
      }
      case "sigmoid": {
        const s = tf.sigmoid(x);
        const d1 = tf.mul(s, tf.sub(1, s));
        return { d1, d2: tf.mul(d1, tf.sub(1, tf.mul(2, s))) };
      }
    }
  }
  jvp(x: Tensor, rx: Tensor | null): Tensor {
    return rx ? tf.mul(this.derivatives(x).d1, rx) : tf.zerosLike(x);
  }
  vjp(x: Tensor, gy: Tensor) {
    return { gx: this.inputVjp(x, gy), gparams: [] };
  }
  inputVjp(x: Tensor, gy: Tensor): Tensor {
    return tf.mul(this.derivatives(x).d1, gy);
  }
  rvjp(x: Tensor, rx: Tensor | null, gy: Tensor, rgy: Tensor, _p: Tensor[] = [], _t: Tensor[] = [], needInput = true) {
    if (!needInput) return { rgx: null, rgparams: [] };
    const { d1, d2 } = this.derivatives(x);
    let rgx = tf.mul(d1, rgy);
    if (d2 && rx) rgx = tf.add(rgx, tf.mul(tf.mul(d2, rx), gy));
    return { rgx, rgparams: [] };
  }
}

/** Inverted dropout: scales kept units by 1/(1-rate) during training, the identity in evaluation. */
export class Dropout implements Layer {
  readonly kind = "Dropout";
  readonly params: Param[] = [];
  constructor(
    readonly name: string,
    readonly rate: number,
  ) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`${name}: dropout rate must be in [0, 1), got ${rate}`);
  }
  outputShape(inputShape: number[]): number[] {
    return inputShape;
  }
  forward(x: Tensor, _params: Tensor[], mode: ForwardMode): Tensor {
    if (!mode.training || this.rate === 0) return x;
    if (mode.dropoutSeed === undefined) throw new Error(`${this.name}: training with dropout needs a dropout seed`);
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, "float32", mode.dropoutSeed), this.rate), "float32");
    return tf.mul(x, tf.div(keep, 1 - this.rate));
  }
  jvp(_x: Tensor, rx: Tensor | null): Tensor {
    return rx ?? tf.zerosLike(_x);
  }
  vjp(_x: Tensor, gy: Tensor) {
    return { gx: gy, gparams: [] };
  }
  inputVjp(_x: Tensor, gy: Tensor): Tensor {
    return gy;
  }
  rvjp(_x: Tensor, _rx: Tensor | null, _gy: Tensor, rgy: Tensor, _p: Tensor[] = [], _t: Tensor[] = [], needInput = true) {
    return { rgx: needInput ? rgy : null, rgparams: [] };
  }
}
