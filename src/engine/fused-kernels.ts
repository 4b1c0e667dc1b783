/**
 * Kernels that exist only where a backend provides them (the native pack registers them over `cpu`). Callers check
 * `hasKernel` and otherwise compose the same result from stock ops, so every backend computes the same function.
 */
import { tf, type Tensor } from "./tf.js";

/** Mean softmax cross-entropy of logits [N, C] against int32 labels [N]; a scalar. Gradient: the kernel below. */
export const SOFTMAX_CROSS_ENTROPY = "QuirklabSoftmaxCrossEntropy";
/** (softmax(logits) - onehot(labels)) * dy / N, the gradient of the kernel above; inputs logits, labels, dy. */
export const SOFTMAX_CROSS_ENTROPY_GRAD = "QuirklabSoftmaxCrossEntropyGrad";

/** x - y * alpha (attr alpha), elementwise over two float32 tensors of one shape: an SGD step in one pass. */
export const SCALED_SUBTRACT = "QuirklabScaledSubtract";

/** dy * step(y) for a ReLU's output y: its backward in one pass. */
export const RELU_GRAD = "QuirklabReluGrad";

/** max(x, 0), whose gradient is one RELU_GRAD pass from the saved output (tfjs's Relu backward is a step, then a multiply). */
export const RELU = "QuirklabRelu";

/** clip(x + sign(g) * step, clipMin, clipMax) over two float32 tensors of one shape: one L-infinity ascent step. */
export const SIGN_STEP = "QuirklabSignStep";

export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

const nativeKernels = new Set<string>();
/** Called by the native pack once it has replaced these stock `cpu` kernels. */
export function markNative(names: string[]): void {
  for (const name of names) nativeKernels.add(name);
}
/** Whether the current backend runs `name` with the native pack's kernel (stock kernels differ in what they accept). */
export function runsNative(name: string): boolean {
  return nativeKernels.has(name) && tf.getBackend() === "cpu";
}

/** Whether the backend has the elementwise kernel `name` and it covers these operands (float32, one shape). */
function fusable(name: string, a: Tensor, b: Tensor): boolean {
  return a.dtype === "float32" && b.dtype === "float32" && tf.util.arraysEqual(a.shape, b.shape) && hasKernel(name);
}

/** x - y * alpha, rounded as sub(x, mul(y, alpha)) is. */
export function scaledSubtract(x: Tensor, y: Tensor, alpha: number): Tensor {
  if (fusable(SCALED_SUBTRACT, x, y))
    return tf.engine().runKernel(SCALED_SUBTRACT, { x, y }, { alpha }) as Tensor;
  return tf.sub(x, tf.mul(y, alpha));
}

/** relu(x); where the backend has RELU, its backward is one pass (the same values as tfjs's mul(dy, step(x))). */
export function relu(x: Tensor): Tensor {
  if (x.dtype === "float32" && hasKernel(RELU)) return tf.engine().runKernel(RELU, { x }) as Tensor;
  return tf.relu(x);
}

/** dy * step(y), rounded as mul(dy, step(y)) is. */
export function reluGrad(dy: Tensor, y: Tensor): Tensor {
  if (fusable(RELU_GRAD, dy, y))
    return tf.engine().runKernel(RELU_GRAD, { dy, y }) as Tensor;
  return tf.mul(dy, tf.step(y));
}

/**
 * clip(x + sign(g) * step, clipMin, clipMax), rounded as clipByValue(add(x, mul(sign(g), step))) is: the step of FGSM
 * and L-infinity PGD. Infinite bounds leave the sum unclipped. Not differentiable (no attack differentiates its step).
 */
export function signStep(x: Tensor, g: Tensor, step: number, clipMin = -Infinity, clipMax = Infinity): Tensor {
  if (!(clipMin <= clipMax)) throw new RangeError(`signStep: clipMin (${clipMin}) must not exceed clipMax (${clipMax})`);
  if (fusable(SIGN_STEP, x, g))
    return tf.engine().runKernel(SIGN_STEP, { x, g }, { step, clipMin, clipMax }) as Tensor;
  return tf.tidy(() => {
    const sum = tf.add(x, tf.mul(tf.sign(g), step));
    return clipMin === -Infinity && clipMax === Infinity ? sum : tf.clipByValue(sum, clipMin, clipMax);
  });
}
