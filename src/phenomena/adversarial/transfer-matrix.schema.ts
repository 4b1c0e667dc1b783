import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { measuredNumbers } from "../details.js";

export const transferSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /**
   * The models of the matrix. `half` picks the training digits: all, or the first / second half of the seeded training
   * subset (disjoint halves, as Szegedy et al.'s P1 / P2). Models named A and B carry the criterion.
   */
  models: z
    .array(z.strictObject({ name: z.string().min(1).max(40), model: modelSpec, half: z.enum(["all", "first", "second"]).default("all") }))
    .min(2)
    .max(8)
    .default([
      { name: "A", half: "first", model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 } },
      { name: "B", half: "second", model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 } },
      { name: "wide", half: "all", model: { kind: "mlp", hidden: [1024], activation: "relu", init: "he", dropout: 0 } },
      { name: "deep", half: "all", model: { kind: "mlp", hidden: [256, 256, 256], activation: "relu", init: "he", dropout: 0 } },
      { name: "cnn", half: "all", model: { kind: "cnn", filters: [32, 64], kernelSize: 5, padding: "same", dense: [128], activation: "relu", init: "he", dropout: 0 } },
    ]),
  train: trainSpec.prefault({}),
  attack: z
    .strictObject({
      /** FGSM budget in [0, 1] pixel units (docs/criteria.md 2c: 0.25). */
      epsilon: z.number().min(0).max(1).default(0.25),
      examples: z.number().int().min(10).max(10000).default(2000),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 2c: FGSM examples made on A give >= 40% error on B (Goodfellow et al. report strong transfer). */
      minTransferError: z.number().min(0).max(1).default(0.4),
      /** ...while B itself is a good model: clean error <= 6% with 4k training digits per half. */
      maxCleanErrorB: z.number().min(0).max(1).default(0.06),
    })
    .prefault({}),
});

export type TransferConfig = z.output<typeof transferSchema>;

/** What the heatmap reads: error of examples crafted on row i, evaluated on column j. */
export const transferDetails = z.object({ matrix: z.array(measuredNumbers), names: z.array(z.string()) });
export type TransferDetails = z.output<typeof transferDetails>;
