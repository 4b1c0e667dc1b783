import { z } from "zod";
import { mlpSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const linearProbesSchema = z.strictObject({
  /** docs/criteria.md §8.6: 8,000 training digits (where the input probe reaches about 90-91%), a 2,000-digit test set. */
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** §8.6: a trained 784-256-256-256-10 MLP (an MLP: every hidden layer is probed). */
  model: mlpSpec.default({ kind: "mlp", hidden: [256, 256, 256], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 10 }).prefault({}),
  /**
   * Each probe: a softmax regression on the frozen layer's outputs for the training digits, from zero weights. The same
   * schedule for every layer and both networks, long enough that the training accuracy of the pixel probe has levelled
   * off (the README gives the figures): an under-trained input probe would flatter both comparisons.
   */
  probe: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 30 }).prefault({}),
  claim: z
    .strictObject({
      /** §8.6: probe test accuracy non-decreasing with depth in the trained net, tolerance 0.3 points per step. */
      depthTolerance: z.number().min(0).max(1).default(0.003),
      /** §8.6: the last hidden layer's probe at least 3 points above the input's. */
      minGainOverInput: z.number().min(-1).max(1).default(0.03),
      /** §8.6 control: an untrained net's first random ReLU layer already beats raw pixels by at least 1 point. */
      minRandomLayerGain: z.number().min(-1).max(1).default(0.01),
    })
    .prefault({}),
});

export type LinearProbesConfig = z.output<typeof linearProbesSchema>;
