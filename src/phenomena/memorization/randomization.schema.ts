import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";

export const RANDOMIZATION_CONDITIONS = ["true-labels", "random-labels", "shuffled-pixels", "random-pixels", "gaussian"] as const;
export type RandomizationCondition = (typeof RANDOMIZATION_CONDITIONS)[number];

export const randomizationSchema = z.strictObject({
  /** docs/criteria.md 5a: n_train = 2,000 keeps the memorization runs within minutes; the 2k test set is kept. */
  data: dataSpec({ trainSize: 2000, testSize: 2000 }),
  /** 784-512-10: ~407k parameters, far more than examples (Zhang et al.'s premise). */
  model: modelSpec.default({ kind: "mlp", hidden: [512], activation: "relu", init: "he", dropout: 0 }),
  /** Identical hyperparameters in every condition (docs/criteria.md 5a: SGD, momentum 0.9, lr 0.01, no regularizer). */
  train: trainSpecWith({ optimizer: "momentum", lr: 0.01, momentum: 0.9, batchSize: 128, epochs: 300 }).prefault({}),
  conditions: z.array(z.enum(RANDOMIZATION_CONDITIONS)).min(1).max(5).default([...RANDOMIZATION_CONDITIONS]),
  /** Label-corruption fractions (exactly p of the labels changed to another class) for Zhang Fig. 1c and Arpit's early peak. */
  corruption: z.array(z.number().gt(0).lt(1)).max(16).default([0.2, 0.4, 0.6, 0.8]),
  /** A condition counts as fitted when the whole training set is classified at least this well (eval mode). */
  fitAccuracy: z.number().min(0.1).max(1).default(0.99),
  /** Stop each condition at the epoch it fits (train.epochs is then the budget). */
  stopAtFit: z.boolean().default(true),
  claim: z
    .strictObject({
      /** docs/criteria.md 5a: every condition reaches 99% training accuracy. */
      trainAccuracy: z.number().min(0).max(1).default(0.99),
      /** Chance is 10%; docs/criteria.md 5a: random-label test accuracy in [7.5%, 12.5%]. */
      randomTestLow: z.number().min(0).max(1).default(0.075),
      randomTestHigh: z.number().min(0).max(1).default(0.125),
      /** Zhang et al.: random labels take "a small constant factor" longer; docs/criteria.md 5a: at most 10x. */
      slowdown: z.number().min(1).max(1000).default(10),
      /** An MLP has no spatial prior: shuffled pixels test accuracy equals true-label accuracy within 1.5 pp. */
      shuffledGap: z.number().min(0).max(1).default(0.015),
      /** docs/criteria.md 5b (Arpit et al. 2017): at p = 0.4 the test accuracy peak beats the final value by 10 pp. */
      earlyPeak: z.number().min(0).max(1).default(0.1),
    })
    .prefault({}),
  saveArtifacts: z.boolean().default(true),
});

export type RandomizationConfig = z.output<typeof randomizationSchema>;

/** What the figures read: each condition's training curve. */
export const randomizationDetails = z.object({
  curves: z.record(z.string(), z.array(curveRow(["epoch", "trainAccuracy", "testAccuracy", "trainLoss"]))),
});
export type RandomizationDetails = z.output<typeof randomizationDetails>;
