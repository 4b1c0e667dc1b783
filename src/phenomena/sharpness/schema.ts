import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { sbLbLineSpec } from "./sb-lb-line.js";

/** How curvature is measured, the same way for every solution compared. */
export const curvatureSpec = z
  .strictObject({
    /** Keskar et al.'s box size (they report 1e-3 and 5e-4). */
    epsilon: z.number().positive().max(1).default(1e-3),
    /** Projected ascent steps (paper-targets.md: 10-20). */
    steps: z.number().int().min(1).max(1000).default(20),
    /** Power-iteration steps for the top Hessian eigenvalue. */
    eigenIterations: z.number().int().min(1).max(1000).default(30),
    /** Examples of the training set used for curvature (all of them by default). */
    examples: z.number().int().min(10).max(60000).default(8000),
  })
  .prefault({});

/**
 * The small- and large-batch training of property 4 (Keskar et al.'s comparison), shared by every experiment that
 * compares the two solutions (batch-size; surface-2d draws their loss surfaces).
 */
export const regimeFields = {
  /** paper-targets.md 4a "F1-lite": 784-128-128-10 ReLU, no batch norm. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 128], activation: "relu", init: "he", dropout: 0 }),
  /** Adam, lr 1e-3 for both (paper-targets.md 4a; Keskar et al. used Adam). The batch size is set per regime below. */
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, epochs: 200 }).prefault({}),
  /** Small batch: Keskar et al.'s 256 on larger sets; paper-targets.md 4a: 32. */
  smallBatch: z.number().int().min(1).max(65536).default(32),
  /** Large batch as a fraction of the training set (Keskar et al.: 10%; Li et al.: 8192 of 50k, 16%). */
  largeBatchFraction: z.number().gt(0).max(1).default(0.1),
  /** Epoch budgets: train until the training loss stops improving, capped (paper-targets.md 4a: LB at most 200). */
  smallEpochs: z.number().int().min(1).max(10000).default(100),
  largeEpochs: z.number().int().min(1).max(10000).default(200),
  /**
   * "Stops improving": less than 1% relative improvement of the whole training set's loss (evaluation mode, measured
   * after every epoch) for this many epochs. A first version used the noisy mean of the epoch's batch losses with a
   * patience of 5: one seed's small-batch run stopped at epoch 17 with 25x the large-batch training loss, which is not
   * the "comparable training loss" the comparison needs.
   */
  patience: z.number().int().min(1).max(1000).default(10),
};

export const batchSizeSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  ...regimeFields,
  sharpness: curvatureSpec,
  /**
   * Keskar et al.'s second sharpness: the same box ascent restricted to a random subspace of this many orthonormal
   * directions (their Table 4 uses p = 100). Reported, not judged; 0 skips it.
   */
  subspaceDimension: z.number().int().min(0).max(1000).default(100),
  /** The 1-D line between the two solutions (Keskar et al.'s Figure 3; criterion 4b). */
  line: sbLbLineSpec,
  claim: z
    .strictObject({
      /** paper-targets.md 4a: sharpness(LB) / sharpness(SB) >= 5 (Keskar F1: ~167x full space). */
      sharpnessRatio: z.number().min(0).max(1e6).default(5),
      /** paper-targets.md 4a: ||x_SB - x0|| / ||x_LB - x0|| >= 1.5 (paper: 3-10). */
      distanceRatio: z.number().min(0).max(1e6).default(1.5),
    })
    .prefault({}),
});

export type BatchSizeConfig = z.output<typeof batchSizeSchema>;
