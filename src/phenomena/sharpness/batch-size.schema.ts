import { z } from "zod";
import { dataSpec } from "../data.js";
import { sbLbLineSpec } from "./sb-lb-line.js";
import { regimeFields } from "../../analysis/regimes.js";
import { curvatureSpec } from "./specs.js";
import { linePointDetails } from "../details.js";

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

/** What the figures read: the loss on the line from the small-batch to the large-batch solution. */
export const batchSizeDetails = z.object({ line: z.array(linePointDetails) });
