import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { STRATEGIES, strategyParameters } from "./specs.js";

export const splitSchema = z.strictObject({
  data: dataSpec({ trainSize: 10000, testSize: 2000 }),
  /** Class groups, one task each (docs/criteria.md 7c: 0/1, 2/3, ..., 8/9). */
  groups: z
    .array(z.array(z.number().int().min(0).max(9)).min(1).max(10))
    .min(2)
    .max(10)
    .default([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]),
  validationSize: z.number().int().min(10).max(10000).default(1000),
  model: modelSpec.default({ kind: "mlp", hidden: [256, 256], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "sgd", lr: 0.05, batchSize: 64, epochs: 5 }).prefault({}),
  /** van de Ven & Tolias 2019: EWC and LwF (no stored data) stay near fine-tuning here; replay does not. */
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "ewc", "lwf", "replay", "joint"]),
  /** replay: docs/criteria.md 7c asks for at least 100 stored examples per class (10 classes: 1,000, the default). */
  ...strategyParameters,
  claim: z
    .strictObject({
      /** docs/criteria.md 7c: fine-tuning ends with the old tasks at <= 5% (only the last pair survives). */
      naiveOld: z.number().min(0).max(1).default(0.05),
      /** EWC is not much better: final average accuracy <= 30%. */
      ewcAcc: z.number().min(0).max(1).default(0.3),
      /** Replay works: final average accuracy >= 70%. */
      replayAcc: z.number().min(0).max(1).default(0.7),
    })
    .prefault({}),
});

export type SplitConfig = z.output<typeof splitSchema>;
