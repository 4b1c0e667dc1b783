import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const activationMaximizationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 1000 }),
  /** The model whose classes are visualized (1a's MLP) ... */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 64], activation: "relu", init: "he", dropout: 0 }),
  /** ... and an independently trained judge (another architecture and seed). */
  judge: modelSpec.default({ kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 }),
  /**
   * A control judge of another family (reported, not judged): the MLP judge shares the model's architecture family and
   * may share its blind spots, so its agreement can flatter unnatural images; a convolutional net is the paper-like
   * check (Yosinski et al. judged by eye what ImageNet convnets' images look like).
   */
  controlJudge: modelSpec.default({ kind: "cnn", filters: [32, 64], kernelSize: 5, padding: "same", dense: [128], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpec.prefault({}),
  /** docs/criteria.md 1b: 300 ascent steps on the logit, from the mean image plus noise, pixels clamped to [0, 1]. */
  steps: z.number().int().min(1).max(10000).default(300),
  stepSize: z.number().positive().max(1).default(0.05),
  startNoise: z.number().min(0).max(1).default(0.05),
  /** docs/criteria.md 1b: L2 decay ~0.01 per step, blur sd 0.5-1 px every 4 steps, zero pixels below the 20th percentile; jitter 1 px. */
  regularizers: z
    .strictObject({
      l2Decay: z.number().min(0).max(1).default(0.01),
      blurSigma: z.number().min(0).max(5).default(0.75),
      blurEvery: z.number().int().min(1).max(1000).default(4),
      jitter: z.number().int().min(0).max(8).default(1),
      clipPercentile: z.number().min(0).max(100).default(20),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 1b: both settings reach >= 0.99 confidence on the model itself ... */
      ownConfidence: z.number().min(0).max(1).default(0.99),
      /** ... and the judge agrees with the regularized images at least 20 pp more often. */
      agreementGain: z.number().min(-1).max(1).default(0.2),
    })
    .prefault({}),
});

export type ActivationMaximizationConfig = z.output<typeof activationMaximizationSchema>;
