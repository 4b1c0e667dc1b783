import { z } from "zod";

const epsilon = z.number().min(0).max(1);
const oddAtLeast3 = z
  .number()
  .int()
  .min(3)
  .refine((n) => n % 2 === 1, "must be odd (the grid must contain the model itself, at 0)");

export const inspectSchema = z.strictObject({
  /**
   * The model to inspect: an .onnx file, a folder holding model.json (tfjs layers format) or the model.json itself
   * (`quirklab inspect <model>` sets it; in the lab, the name of the file dropped).
   */
  model: z.string().min(1).default("model.json"),
  data: z
    .strictObject({
      /** A built-in dataset (mnist, fashion-mnist) or the name a data folder was given (--data). */
      dataset: z.string().min(1).default("mnist"),
      split: z.enum(["test", "train"]).default("test"),
      /** Examples drawn (seeded) from the split: accuracy, calibration, units and pruning use all of them. */
      size: z.number().int().min(10).default(10000),
    })
    .prefault({}),
  /**
   * "auto": on a built-in dataset, every figure is also measured on quirklab's baseline network of the same kind (the
   * MLP, or the CNN when the model has a convolution), trained once on that dataset and reused; "none": no comparison.
   */
  reference: z.enum(["auto", "none"]).default("auto"),
  calibration: z.strictObject({ bins: z.number().int().min(2).max(100).default(15) }).prefault({}),
  robustness: z
    .strictObject({
      /** The first examples of the drawn set that the attacks use. */
      examples: z.number().int().min(1).default(1000),
      epsilons: z.array(epsilon).min(1).default([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]),
      pgdSteps: z.number().int().min(1).default(40),
      /** Correctly classified examples DeepFool attacks. */
      deepfoolExamples: z.number().int().min(0).default(500),
      deepfoolSteps: z.number().int().min(1).default(50),
    })
    .prefault({}),
  curvature: z
    .strictObject({
      /** The first examples of the drawn set whose mean loss the curvature describes. */
      examples: z.number().int().min(1).default(2000),
      lanczosSteps: z.number().int().min(2).default(40),
      eigenvalues: z.number().int().min(1).default(3),
      hutchinsonSamples: z.number().int().min(2).default(30),
      keskarEpsilon: z.number().positive().default(1e-3),
      keskarSteps: z.number().int().min(1).default(10),
      linePoints: oddAtLeast3.default(41),
      /** 0 leaves the 2-D slice out. */
      surfacePoints: z.union([z.literal(0), oddAtLeast3]).default(21),
      /** The slices span [-radius, radius] in units of the filter-normalized direction (1 = the weights' own norm). */
      radius: z.number().positive().default(1),
    })
    .prefault({}),
  saliency: z
    .strictObject({
      examples: z.number().int().min(0).default(16),
      smoothGradSamples: z.number().int().min(1).default(50),
      noise: z.number().min(0).default(0.15),
    })
    .prefault({}),
  units: z
    .strictObject({
      topK: z.number().int().min(2).default(16),
      randomDirections: z.number().int().min(1).default(100),
    })
    .prefault({}),
  pruning: z
    .strictObject({
      fractions: z.array(z.number().min(0).lt(1)).min(1).default([0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]),
      /** "Prunable" = accuracy within this much (absolute) of the unpruned model's. */
      tolerance: z.number().min(0).max(1).default(0.01),
    })
    .prefault({}),
});

export type InspectConfig = z.output<typeof inspectSchema>;
