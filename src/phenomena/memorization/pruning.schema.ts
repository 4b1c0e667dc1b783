import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const pruningSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 8.7: LeNet-300-100. */
  model: modelSpec.default({ kind: "mlp", hidden: [300, 100], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 10 }).prefault({}),
  sparsities: z.array(z.number().min(0).lt(1)).min(1).max(16).default([0.5, 0.8, 0.9, 0.95, 0.98]),
  scope: z.enum(["global", "layer"]).default("global"),
  /**
   * Han et al. prune iteratively: prune, retrain, prune more. The retrained figure at sparsity s reaches s in this
   * many prune-retrain steps, each keeping the same fraction of the surviving weights ((1 - s)^(1/steps)), each
   * followed by `retrain`. docs/criteria.md 8.7: 3 steps of 3 epochs. 1 is one-shot pruning, then retraining.
   */
  retrainSteps: z.number().int().min(1).max(20).default(3),
  /** Retraining with the mask held after each step (Han et al. retrain; a lower rate than the original training). */
  retrain: trainSpecWith({ optimizer: "adam", lr: 0.0003, batchSize: 128, epochs: 3 }).prefault({}),
  claim: z
    .strictObject({
      /** The sparsity the criterion is read at: keeping 10% of the weights. */
      at: z.number().min(0).lt(1).default(0.9),
      /** docs/criteria.md 8.7: with retraining, accuracy >= dense - 0.5 pp ... */
      retrainedLoss: z.number().min(0).max(1).default(0.005),
      /** ... and without retraining at least 5 pp lost (pruning alone is not free). */
      unretrainedLoss: z.number().min(0).max(1).default(0.05),
    })
    .prefault({}),
});

export type PruningConfig = z.output<typeof pruningSchema>;
