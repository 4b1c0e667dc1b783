import { z } from "zod";
import { dataSpec } from "../data.js";
import { regimeFields } from "../../analysis/regimes.js";
import { measuredNumbers } from "../details.js";

export const surfaceSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** Property 4's two regimes, trained exactly as the batch-size experiment trains them. */
  ...regimeFields,
  grid: z
    .strictObject({
      /** Li et al. plot alpha, beta in [-1, 1]: one unit moves every filter by its own norm. */
      radius: z.number().positive().max(10).default(1),
      /** Points per axis (odd, so the solution itself is a cell); Li et al. use 51 for 2-D plots. */
      points: z.number().int().min(3).max(201).default(21),
      /** Training examples the loss is evaluated on (Li et al.: the whole training set). */
      examples: z.number().int().min(10).max(60000).default(8000),
    })
    .prefault({}),
  /** The basin is where the training loss stays within this many nats of the solution's (our level: Li et al. read contours by eye; ln 10 = 2.3 is chance). */
  basinRise: z.number().positive().max(100).default(0.5),
});

export type SurfaceConfig = z.output<typeof surfaceSchema>;

/** What the heatmaps read: the loss on each solution's filter-normalized plane. */
export const surfaceDetails = z.object({
  surfaces: z.array(z.object({ name: z.string(), alphas: measuredNumbers, betas: measuredNumbers, loss: z.array(measuredNumbers) })),
});
export type SurfaceDetails = z.output<typeof surfaceDetails>;
