import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curvatureSpec } from "./specs.js";

export const reparametrizationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 4c: the small-batch solution of 4a's 784-128-128-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 128], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 32, epochs: 10 }).prefault({}),
  /** Dinh et al.'s alpha: the first layer is scaled by it, the second layer's kernel by its inverse. */
  scale: z.number().positive().max(1e6).default(10),
  /** Which adjacent pair of Dense layers is rescaled (0: the first and second). */
  layer: z.number().int().min(0).max(64).default(0),
  sharpness: curvatureSpec,
  claim: z
    .strictObject({
      /** docs/criteria.md 4c: the top Hessian eigenvalue changes by >= 10x ... */
      eigenvalueChange: z.number().min(1).max(1e9).default(10),
      /** ... and Keskar sharpness by >= 3x, while the predictions are identical. */
      sharpnessChange: z.number().min(1).max(1e9).default(3),
    })
    .prefault({}),
});

export type ReparametrizationConfig = z.output<typeof reparametrizationSchema>;
