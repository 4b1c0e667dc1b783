import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const unitsVsDirectionsSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 1a: a 784-128-64-10 ReLU MLP trained to about 96% test accuracy. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 64], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpec.prefault({}),
  /** The layer studied: a layer name, or last:<Kind> (the last hidden representation by default). */
  layer: z.string().min(1).default("last:Activation"),
  /** Images per direction (Szegedy et al. show rows of 8-16 images). */
  topK: z.number().int().min(2).max(1000).default(16),
  /** Random unit directions in the layer's space (default: as many as it has units). */
  randomDirections: z.number().int().min(1).max(4096).default(64),
  /** Units that are never active on the test set are excluded (docs/criteria.md §1 pitfalls). */
  excludeDead: z.boolean().default(true),
  /** Units and directions shown as top-k image rows in the report. */
  shown: z.number().int().min(0).max(64).default(8),
  /** Test digits shown with their gradient and SmoothGrad saliency maps (0: none). */
  saliency: z
    .strictObject({
      examples: z.number().int().min(0).max(64).default(8),
      samples: z.number().int().min(1).max(1000).default(50),
      noise: z.number().min(0).max(1).default(0.15),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 1a: mean purity of random directions at least 0.8 x that of the units. */
      ratio: z.number().min(0).max(10).default(0.8),
    })
    .prefault({}),
});

export type UnitsVsDirectionsConfig = z.output<typeof unitsVsDirectionsSchema>;
