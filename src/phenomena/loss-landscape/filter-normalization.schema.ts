import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { linePointDetails } from "../details.js";

export const filterNormalizationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 3d: a 784-100-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [100], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  /** docs/criteria.md 3d: c = 10. */
  scale: z.number().positive().max(1e6).default(10),
  /**
   * Random Gaussian directions averaged: the curvature along one draw depends on how much of it falls on each layer
   * (the rescaling multiplies one layer's curvature by scale^2 and divides the other's), the mean over many does not.
   * The slices in the report are drawn along the first.
   */
  directions: z.number().int().min(1).max(100).default(1),
  /** Step of the second difference: in units of the direction (unit norm for raw, the weights' own scale for filter-normalized). */
  step: z.number().positive().max(10).default(0.05),
  /** The 1-D slices drawn in the report (filter-normalized: alpha in weight-norm units). */
  alphas: z.strictObject({ from: z.number().min(-5).max(0).default(-1), to: z.number().min(0).max(5).default(1), step: z.number().positive().max(1).default(0.05) }).prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 3d: raw curvature differs >= 10x between the copies ... */
      rawChange: z.number().min(1).max(1e9).default(10),
      /** ... while filter-normalized curvature agrees within 20%. */
      normalizedTolerance: z.number().min(0).max(10).default(0.2),
    })
    .prefault({}),
});

export type FilterNormalizationConfig = z.output<typeof filterNormalizationSchema>;

/** What the figures read: the loss along each direction, raw and filter-normalized, for the original and the rescaled net. */
export const filterNormalizationDetails = z.object({ curves: z.record(z.string(), z.array(linePointDetails)) });
export type FilterNormalizationDetails = z.output<typeof filterNormalizationDetails>;
