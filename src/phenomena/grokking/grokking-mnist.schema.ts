import { z } from "zod";
import { mlpSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";
import { strictlyAscending } from "../sweep.js";

export const grokkingMnistSchema = z.strictObject({
  /** docs/criteria.md §8.3 (Omnigrok's MNIST configuration): 1,000 training digits. */
  data: dataSpec({ trainSize: 1000, testSize: 2000 }),
  /**
   * Omnigrok: an MLP of depth 3 (three linear layers) and width 200, ReLU, PyTorch's default initialization — our
   * "standard", U(±1/sqrt(fan-in)) — whose weights are then multiplied by the initialization scale.
   */
  model: mlpSpec.default({ kind: "mlp", hidden: [200, 200], activation: "relu", init: "standard", dropout: 0 }),
  /** §8.3: the scale that grokks (x8) and the control (x1), each from the same draw, scaled. */
  initScales: strictlyAscending(z.array(z.number().positive().max(1000)).min(1).max(6)).default([1, 8]),
  /**
   * Omnigrok: AdamW at lr 1e-3 with weight decay 0.01, batch 200, 100k steps, the squared error against the one-hot
   * label (torch's MSELoss averages over the 10 outputs where ours sums half of them: a constant factor AdamW does not see).
   */
  train: trainSpecWith({ optimizer: "adamw", lr: 0.001, weightDecay: 0.01, batchSize: 200, epochs: 1, steps: 100000, loss: "squared-error", divergenceFactor: 0 }).prefault({}),
  /** Log-spaced steps at which train and test accuracy and the weight norm are measured. */
  checkpoints: z.number().int().min(4).max(1000).default(80),
  claim: z
    .strictObject({
      /** §8.3: the step of 99% training accuracy ... */
      trainAccuracy: z.number().min(0).max(1).default(0.99),
      /** ... against the step where test accuracy reaches 95% of its final value. */
      testFraction: z.number().min(0).max(1).default(0.95),
      /** §8.3: generalization comes at least 10x later than memorization at the largest initialization scale ... */
      minDelay: z.number().min(1).max(1e6).default(10),
      /** ... and at most 3x later at the smallest. */
      maxControlDelay: z.number().min(1).max(1e6).default(3),
    })
    .prefault({}),
});

export type GrokkingMnistConfig = z.output<typeof grokkingMnistSchema>;

export const CURVE_FIELDS = ["step", "trainAccuracy", "testAccuracy", "trainLoss", "testLoss", "weightNorm"] as const;
export const grokkingMnistDetails = z.object({ curves: z.record(z.string(), z.array(curveRow(CURVE_FIELDS))).optional() });
export type GrokkingMnistDetails = z.output<typeof grokkingMnistDetails>;

/** The metric prefix of one initialization scale, e.g. "scale=8". */
export function scaleKey(scale: number): string {
  return `scale=${scale}`;
}
