/** First-order derivatives by tfjs reverse mode: parameter gradients for training, input gradients for attacks and saliency. */
import { tf, type Tensor } from "./tf.js";
import { lossValue, type LossKind } from "./loss.js";
import type { SequentialModel } from "./module.js";

/** Loss and its gradient with respect to every parameter (evaluation mode). Caller disposes the gradients. */
export function parameterGradients(
  model: SequentialModel,
  x: Tensor,
  target: Tensor,
  loss: LossKind,
): { loss: number; grads: Tensor[] } {
  const params = model.params();
  const { value, grads } = tf.variableGrads(
    () => lossValue(loss, model.forward(x, { training: false }), target) as tf.Scalar,
    params.map((p) => p.variable),
  );
  const lossNumber = value.dataSync()[0]!;
  value.dispose();
  return { loss: lossNumber, grads: params.map((p) => grads[p.variable.name]!) };
}

/**
 * d(loss)/d(input) for a batch. With `reduction: "sum"` each example's gradient is that of its own loss, unscaled by
 * the batch size (what attacks and saliency want); "mean" is the gradient of the batch-mean loss.
 */
export function inputGradient(
  model: SequentialModel,
  x: Tensor,
  target: Tensor,
  loss: LossKind,
  reduction: "sum" | "mean" = "sum",
): { loss: number; grad: Tensor } {
  // the sum's gradient is the mean's times N: seed backprop with N instead of multiplying the loss (three fewer ops)
  const seed = tf.scalar(reduction === "sum" ? x.shape[0]! : 1);
  const f = (input: Tensor) => lossValue(loss, model.forward(input, { training: false }), target) as tf.Scalar;
  const { value, grad } = tf.valueAndGrad(f)(x, seed);
  const lossNumber = value.dataSync()[0]!;
  tf.dispose([value, seed]);
  return { loss: lossNumber, grad };
}
