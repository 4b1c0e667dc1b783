import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curvatureSpec } from "./specs.js";

export const samSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** Property 4's 784-128-128-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 128], activation: "relu", init: "he", dropout: 0 }),
  /** Foret et al. wrap SGD with momentum; the base run uses the identical optimizer, only the gradient differs. */
  train: trainSpecWith({ optimizer: "momentum", lr: 0.05, momentum: 0.9, batchSize: 128, epochs: 20 }).prefault({}),
  /** The neighbourhood radius (Foret et al.: 0.05 is their default for CIFAR). */
  rho: z.number().positive().max(10).default(0.05),
  sharpness: curvatureSpec,
});

export type SamConfig = z.output<typeof samSchema>;
