/**
 * Per-layer statistics of any Sequential model on a probe batch: the activations after every nonlinearity and the
 * gradient norm of every weight matrix — what Glorot & Bengio and He et al. plot across depth.
 */
import { tf, type Tensor } from "../engine/tf.js";
import { parameterGradients } from "../engine/gradients.js";
import type { LossKind } from "../engine/loss.js";
import type { Sequential } from "../models/sequential.js";

export interface ActivationStat {
  layer: string;
  mean: number;
  sd: number;
}

/** Mean and sd over the batch and units of each activation layer's output (evaluation mode). */
export function activationStats(model: Sequential, x: Tensor): ActivationStat[] {
  const outputs = model.layerOutputs(x);
  try {
    return outputs
      .filter((o) => o.kind === "Activation")
      .map((o) => {
        const [mean, variance] = tf.tidy(() => {
          const m = tf.moments(o.output);
          return [m.mean.dataSync()[0]!, m.variance.dataSync()[0]!];
        });
        return { layer: o.name, mean: mean!, sd: Math.sqrt(Math.max(0, variance!)) };
      });
  } finally {
    tf.dispose(outputs.map((o) => o.output));
  }
}

export interface GradientStat {
  param: string;
  norm: number;
}

/** Frobenius norm of the loss gradient for every kernel (weights, not biases), first layer first. */
export function kernelGradientNorms(model: Sequential, x: Tensor, y: Tensor, loss: LossKind = "softmax-ce"): GradientStat[] {
  const params = model.params();
  const { grads } = parameterGradients(model, x, y, loss);
  try {
    const out: GradientStat[] = [];
    params.forEach((p, i) => {
      if (p.role !== "kernel") return;
      const norm = tf.tidy(() => tf.norm(grads[i]!).dataSync()[0]!);
      out.push({ param: p.name, norm });
    });
    return out;
  } finally {
    tf.dispose(grads);
  }
}
