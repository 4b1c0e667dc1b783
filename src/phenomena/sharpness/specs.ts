/** Config pieces the sharpness experiments share. */
import { z } from "zod";

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
