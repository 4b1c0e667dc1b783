/**
 * Losses on logits, with their gradient and its R-operator written out, so the exact Hessian-vector product does not
 * depend on tfjs double backprop (which is silently wrong through softmax / log-sum-exp).
 */
import { tf, type Tensor } from "./tf.js";
import { SOFTMAX_CROSS_ENTROPY, hasKernel } from "./fused-kernels.js";

export const LOSS_KINDS = ["softmax-ce", "squared-error", "mse", "sigmoid-bce"] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/**
 * Whether a loss scores class labels (softmax-ce; squared-error against the one-hot label) or reconstructs its
 * inputs (mse, sigmoid-bce): the batches carry int32 labels for the first, the inputs themselves for the second.
 */
export function scoresLabels(kind: LossKind): boolean {
  return kind === "softmax-ce" || kind === "squared-error";
}

/**
 * The target of a loss: int32 class labels [N] for softmax-ce and squared-error, float targets shaped like the logits
 * otherwise. squared-error is half the squared distance to the one-hot label, summed over classes and averaged over
 * examples: the "MSE" of Cohen et al. 2021 and Liu et al. 2023 (torch's MSELoss averages over classes too, a constant
 * factor C/2 that AdamW does not see and that the edge of stability's 2/eta would).
 */
export function lossValue(kind: LossKind, logits: Tensor, target: Tensor): Tensor {
  return tf.tidy(() => {
    switch (kind) {
      case "softmax-ce":
        return softmaxCrossEntropy(logits, target);
      case "squared-error":
        return tf.div(tf.sum(tf.square(tf.sub(logits, oneHotOf(target, logits)))), 2 * logits.shape[0]!);
      case "mse":
        return tf.mean(tf.square(tf.sub(logits, target)));
      case "sigmoid-bce": {
        // log(1 + e^z) - t z, written to stay finite for large |z|
        const z = logits;
        const softplus = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
        return tf.mean(tf.sub(softplus, tf.mul(target, z)));
      }
    }
  });
}

/**
 * Mean softmax cross-entropy with its gradient written out, (softmax(z) - onehot(y)) / N: one backward op instead of
 * the two dozen tfjs records for log-sum-exp, one-hot, sum and mean. First order only (tfjs cannot differentiate a
 * custom gradient again; second order goes through the R-operator in hvp.ts).
 */
function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  // one kernel forward and one backward where the backend has them (the native pack), the same function composed here
  if (logits.rank === 2 && logits.dtype === "float32" && labels.dtype === "int32" && hasKernel(SOFTMAX_CROSS_ENTROPY))
    return tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }) as Tensor;
  const onehot = oneHotOf(labels, logits);
  // tidy would dispose anything the gradient closes over, so the one-hot targets are an input and saved, not captured
  const f = tf.customGrad(((z: Tensor, targets: Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.sub(z, tf.logSumExp(z, 1, true));
    save([logp, targets]);
    return {
      value: tf.neg(tf.mean(tf.sum(tf.mul(targets, logp), 1))),
      gradFunc: (dy: Tensor, [savedLogp, savedTargets]: Tensor[]) => [
        tf.mul(tf.sub(tf.exp(savedLogp!), savedTargets!), tf.div(dy, z.shape[0]!)),
        tf.zerosLike(savedTargets!),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits, onehot);
}

function oneHotOf(labels: Tensor, logits: Tensor): Tensor {
  return tf.oneHot(labels as tf.Tensor1D, logits.shape[1]!);
}

/** dL/dlogits. */
export function lossGradient(kind: LossKind, logits: Tensor, target: Tensor): Tensor {
  return tf.tidy(() => {
    const n = logits.shape[0]!;
    switch (kind) {
      case "softmax-ce":
        return tf.div(tf.sub(tf.softmax(logits), oneHotOf(target, logits)), n);
      case "squared-error":
        return tf.div(tf.sub(logits, oneHotOf(target, logits)), n);
      case "mse":
        return tf.mul(tf.sub(logits, target), 2 / logits.size);
      case "sigmoid-bce":
        return tf.div(tf.sub(tf.sigmoid(logits), target), logits.size);
    }
  });
}

/** The R-operator of dL/dlogits along the logits' tangent `rz`: (d^2 L / dz^2) rz. */
export function lossGradientTangent(kind: LossKind, logits: Tensor, rz: Tensor): Tensor {
  return tf.tidy(() => {
    const n = logits.shape[0]!;
    switch (kind) {
      case "softmax-ce": {
        const p = tf.softmax(logits);
        const prz = tf.mul(p, rz);
        return tf.div(tf.sub(prz, tf.mul(p, tf.sum(prz, 1, true))), n);
      }
      case "squared-error":
        return tf.div(rz, n);
      case "mse":
        return tf.mul(rz, 2 / logits.size);
      case "sigmoid-bce": {
        const s = tf.sigmoid(logits);
        return tf.div(tf.mul(tf.mul(s, tf.sub(1, s)), rz), logits.size);
      }
    }
  });
}
