/**
 * A dense layer's x.w + b (then ReLU) as one `_FusedMatMul` kernel where the native pack runs it (one GEMM pass): three
 * kernels and five saved copies become one kernel and three. Other backends compose the same function from matMul,
 * add and relu (tfjs-wasm's kernel, for one, takes only rank-3 operands, which would cost three reshapes). tfjs registers no gradient
 * for the kernel itself (its `tf.fused.matMul` wraps one op-level custom gradient that always computes both matmul
 * gradients, even the input gradient of a first layer nobody asked for), so quirklab registers one with a closure per
 * input: backprop computes only those on a path to what is differentiated.
 */
import { tf, type Tensor } from "./tf.js";
import { reluGrad, runsNative } from "./fused-kernels.js";

const FUSED_MATMUL = "_FusedMatMul";
export type DenseActivation = "linear" | "relu";

if (!tf.getGradient(FUSED_MATMUL)) {
  tf.registerGradient({
    kernelName: FUSED_MATMUL,
    inputsToSave: ["a", "b"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [a, b, y] = saved as Tensor[];
      const { transposeA, transposeB, activation } = attrs as { transposeA: boolean; transposeB: boolean; activation: string };
      if (transposeA || transposeB || (activation !== "linear" && activation !== "relu"))
        throw new Error(`quirklab's ${FUSED_MATMUL} gradient covers x.w (+ b) with linear or relu only, got transposeA=${transposeA}, transposeB=${transposeB}, activation=${activation}`);
      // computed once, here: each closure below runs in its own tidy, which would dispose a tensor made inside it
      const g = activation === "relu" ? reluGrad(dy as Tensor, y!) : (dy as Tensor);
      return {
        a: () => tf.matMul(g as tf.Tensor2D, b as tf.Tensor2D, false, true),
        b: () => tf.matMul(a as tf.Tensor2D, g as tf.Tensor2D, true, false),
        bias: () => tf.sum(g, 0),
      };
    },
  });
}

/** activation(x.w + b) for x [N, in], w [in, out], b [out] or null. */
export function denseForward(x: Tensor, w: Tensor, b: Tensor | null, activation: DenseActivation): Tensor {
  if (!runsNative(FUSED_MATMUL) || (!b && activation === "linear")) {
    const z = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
    const biased = b ? tf.add(z, b) : z;
    return activation === "relu" ? tf.relu(biased) : biased;
  }
  const inputs: Record<string, Tensor> = { a: x, b: w };
  if (b) inputs.bias = b;
  return tf.engine().runKernel(FUSED_MATMUL, inputs, { transposeA: false, transposeB: false, activation }) as Tensor;
}
