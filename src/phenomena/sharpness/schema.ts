import { z } from "zod";
import { dataSpec } from "../data.js";
import { sbLbLineSpec } from "./sb-lb-line.js";
import { regimeFields } from "../../analysis/regimes.js";

export { regimeFields };

/** How curvature is measured, the same way for every solution compared. */
export const curvatureSpec = z
  .strictObject({
    /** Keskar et al.'s box size (they report 1e-3 and 5e-4). */
    epsilon: z.number().positive().max(1).default(1e-3),
    /** Projected ascent steps (docs/criteria.md: 10-20). */
    steps: z.number().int().min(1).max(1000).default(20),
    /** Power-iteration steps for the top Hessian eigenvalue. */
    eigenIterations: z.number().int().min(1).max(1000).default(30),
    /** Examples of the training set used for curvature (all of them by default). */
    examples: z.number().int().min(10).max(60000).default(8000),
  })
  .prefault({});


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
      /** docs/criteria.md 4a: sharpness(LB) / sharpness(SB) >= 5 (Keskar F1: ~167x full space). */
      sharpnessRatio: z.number().min(0).max(1e6).default(5),
      /** docs/criteria.md 4a: ||x_SB - x0|| / ||x_LB - x0|| >= 1.5 (paper: 3-10). */
      distanceRatio: z.number().min(0).max(1e6).default(1.5),
    })
    .prefault({}),
});

export type BatchSizeConfig = z.output<typeof batchSizeSchema>;
