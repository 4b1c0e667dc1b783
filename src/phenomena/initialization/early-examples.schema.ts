import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const earlyExamplesSchema = z.strictObject({
  /** The stream plus the reserve pool: docs/criteria.md 6c uses a 6,000-example stream and 2,000 in reserve. */
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  streamSize: z.number().int().min(10).max(60000).default(6000),
  blockSize: z.number().int().min(1).max(60000).default(1000),
  /** Replicas per block: each redraws only that block from the reserve pool. */
  replicas: z.number().int().min(2).max(100).default(8),
  /** tanh and Glorot's normalized init: a setting of Erhan et al.'s era without the sigmoid saturation trap. */
  model: modelSpec.default({ kind: "mlp", hidden: [256, 256, 256], activation: "tanh", init: "xavier", dropout: 0 }),
  /**
   * Online SGD, one pass, batch 10 and a constant learning rate: with a decaying rate "early examples matter more"
   * would be an artefact of the schedule (docs/criteria.md §6 pitfalls).
   */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.05, batchSize: 10, epochs: 1, schedule: "constant" }).prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 6c: Var(first block) >= 1.5 x Var(middle block). */
      ratio: z.number().min(0).max(1000).default(1.5),
    })
    .prefault({}),
});

export type EarlyExamplesConfig = z.output<typeof earlyExamplesSchema>;
