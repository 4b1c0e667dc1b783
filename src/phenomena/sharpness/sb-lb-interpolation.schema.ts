import { z } from "zod";
import { dataSpec } from "../data.js";
import { regimeFields } from "../../analysis/regimes.js";
import { sbLbLineSpec } from "./sb-lb-line.js";
import { linePointDetails } from "../details.js";

export const sbLbInterpolationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  ...regimeFields,
  line: sbLbLineSpec,
  claim: z
    .strictObject({
      /** docs/criteria.md 4b: the loss rise 0.1 away from the LB end >= 3 x the rise 0.1 away from the SB end. */
      riseRatio: z.number().min(0).max(1e6).default(3),
    })
    .prefault({}),
});

export type SbLbInterpolationConfig = z.output<typeof sbLbInterpolationSchema>;

/** What the figures read: the loss on the line from the small-batch to the large-batch solution. */
export const sbLbInterpolationDetails = z.object({ line: z.array(linePointDetails) });
