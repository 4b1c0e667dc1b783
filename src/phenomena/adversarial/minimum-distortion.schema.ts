import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const minimumDistortionSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** Szegedy et al.'s FC100-100-10: sigmoid units, weight decay 1e-5. */
  model: modelSpec.default({ kind: "mlp", hidden: [100, 100], activation: "sigmoid", init: "xavier", dropout: 0 }),
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 64, epochs: 15, weightDecay: 1e-5 }).prefault({}),
  /** Test digits attacked (docs/criteria.md 2b: 200); only those the model classifies correctly count. */
  examples: z.number().int().min(1).max(10000).default(200),
  attack: z
    .strictObject({
      searches: z.number().int().min(1).max(50).default(10),
      steps: z.number().int().min(1).max(1000).default(100),
      learningRate: z.number().positive().max(1).default(0.01),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 2b: at least 95% of the digits get an adversarial example ... */
      success: z.number().min(0).max(1).default(0.95),
      /** ... with mean RMS distortion <= 0.10 (Szegedy: 0.058 for FC100-100-10). */
      rms: z.number().min(0).max(1).default(0.1),
    })
    .prefault({}),
});

export type MinimumDistortionConfig = z.output<typeof minimumDistortionSchema>;
