import { z } from "zod";
import { mlpSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow, measuredNumber } from "../details.js";

export const neuralCollapseSchema = z.strictObject({
  /** docs/criteria.md §8.5: a few thousand training digits; NC1-NC4 are measured on the training set itself. */
  data: dataSpec({ trainSize: 4000, testSize: 2000 }),
  /** §8.5: a 784-256-256-10 MLP; the features that collapse are the second hidden layer's (after its ReLU). */
  model: mlpSpec.default({ kind: "mlp", hidden: [256, 256], activation: "relu", init: "he", dropout: 0 }),
  /**
   * Papyan et al.'s recipe: SGD with momentum 0.9, batch 128, weight decay 5e-4, 350 epochs, the rate divided by 10 at
   * a third and two thirds of training (stepEvery is a third of the epochs: the third division falls on the last
   * epoch and changes nothing). Their rate was the best of a sweep by test error, and so is ours: 0.1 of 0.0025-0.2
   * at the standard preset (the README has the sweep).
   */
  train: trainSpecWith({ optimizer: "momentum", momentum: 0.9, lr: 0.1, weightDecay: 5e-4, batchSize: 128, epochs: 350, schedule: "step", stepEvery: 117, stepGamma: 0.1 }).prefault({}),
  /** Log-spaced epochs at which NC1-NC4 are measured (and the first epoch at 100% training accuracy, always). */
  checkpoints: z.number().int().min(4).max(1000).default(40),
  claim: z
    .strictObject({
      /** §8.5: NC1 falls at least 10x from the first epoch at 100% training accuracy to the end. */
      minNc1Reduction: z.number().min(1).max(1e12).default(10),
      /** §8.5: the mean pairwise cosine of the centred class means within ±0.02 of the simplex's −1/(C−1) = −0.111 ... */
      cosineRange: z.tuple([z.number().min(-1).max(1), z.number().min(-1).max(1)]).default([-0.13, -0.09]),
      /** ... with a standard deviation over the pairs of at most 0.05. */
      maxCosineStd: z.number().min(0).max(2).default(0.05),
      /**
       * §8.5: the NC3 distance falls monotonically "apart from noise" over the terminal phase. Measured as its largest
       * rise above its lowest value so far, relative to that value: 0.1 lets a checkpoint sit a tenth above the best
       * one before (minibatch noise), not a trend upwards. §8.5 gives no number: this one was set before any run.
       */
      maxNc3Rebound: z.number().min(0).max(100).default(0.1),
    })
    .prefault({}),
});

export type NeuralCollapseConfig = z.output<typeof neuralCollapseSchema>;

export const CURVE_FIELDS = [
  "epoch",
  "trainAccuracy",
  "trainLoss",
  "testAccuracy",
  "withinClassVariability",
  "meanNormSpread",
  "classifierNormSpread",
  "meanCosine",
  "meanCosineStd",
  "classifierCosineStd",
  "cosineGapToSimplex",
  "classifierToMeans",
  "nearestMeanMismatch",
] as const;

/** One measured epoch of the curve. */
export type CollapseRow = Record<(typeof CURVE_FIELDS)[number], number>;

export const neuralCollapseDetails = z.object({
  curve: z.array(curveRow(CURVE_FIELDS)).optional(),
  /** The epoch of the first 100% training accuracy (NaN if never). */
  terminalPhaseEpoch: measuredNumber.optional(),
  /** The class means' 2-D principal-component coordinates at the end, one pair per class. */
  meansPca: z.array(z.tuple([measuredNumber, measuredNumber])).optional(),
});
export type NeuralCollapseDetails = z.output<typeof neuralCollapseDetails>;
