import { z } from "zod";
import { strictlyAscending } from "../sweep.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";

/** The two label sets the readout is fitted to: MNIST's own, and the same with a fraction replaced by wrong classes. */
export const CONDITIONS = ["clean", "noisy"] as const;
export type Condition = (typeof CONDITIONS)[number];

export const doubleDescentFeaturesSchema = z
  .strictObject({
    /** docs/criteria.md §8.1: n = 1,000 training digits, 2,000 test digits. */
    data: dataSpec({ trainSize: 1000, testSize: 2000 }),
    /**
     * The numbers of random features N swept, ascending; the first N of one draw of the largest are each model.
     * Dense around the interpolation threshold N = n, where the peak is; must include n/4 and 8n, the two ends the
     * claim compares the peak with.
     */
    features: strictlyAscending(z.array(z.number().int().min(1).max(20000)).min(3).max(48)).default([100, 250, 400, 600, 700, 800, 850, 900, 950, 1000, 1050, 1100, 1150, 1250, 1500, 2000, 3000, 4000, 6000, 8000]),
    /** The fraction of training labels replaced by a uniformly drawn different class in the noisy condition (§8.1: 20%). */
    labelNoise: z.number().min(0).max(1).default(0.2),
    /** W_ij ~ N(0, weightScale^2 / 784): the pre-activation of a digit has sd about weightScale x |x| / 28. */
    weightScale: z.number().positive().max(100).default(1),
    /** b_j ~ N(0, biasScale^2). */
    biasScale: z.number().min(0).max(100).default(0.1),
    /**
     * Eigenvalues of the Gram matrix at or below this fraction of the largest are treated as zero: the numerical rank of
     * the pseudo-inverse, not a ridge (a ridge flattens the peak being measured). A float64 Gram of 1,000 rows is
     * accurate to about 1e-13 of its largest eigenvalue, so the cutoff sits just above that.
     */
    relativeCutoff: z.number().min(0).lt(1).default(1e-12),
    claim: z
      .strictObject({
        /** §8.1: the test-error peak lies within N in [0.8 n, 1.25 n]. */
        peakWindow: z.tuple([z.number().positive(), z.number().positive()]).default([0.8, 1.25]),
        /** §8.1: the peak error is at least this multiple of the error at N = n/4 and at N = 8n. */
        peakOverEnds: z.number().min(1).max(100).default(2),
      })
      .prefault({}),
  })
  .superRefine((config, issues) => {
    const n = config.data.trainSize;
    for (const [what, value] of [["n/4", n / 4], ["8n", 8 * n]] as const) {
      if (!config.features.includes(value)) {
        issues.addIssue({ code: "custom", path: ["features"], message: `the claim compares the peak with N = ${what} = ${value} (n = data.trainSize = ${n}): include ${value} in features` });
      }
    }
  });

export type DoubleDescentFeaturesConfig = z.output<typeof doubleDescentFeaturesSchema>;

/** What the figures read: per condition, one row per N (test and train error and squared loss, rank of the fit). */
export const CURVE_FIELDS = ["features", "testError", "testMse", "trainError", "trainMse", "rank", "coefficientNorm"] as const;
export const doubleDescentFeaturesDetails = z.object({
  curves: z.record(z.string(), z.array(curveRow(CURVE_FIELDS))).optional(),
});
export type DoubleDescentFeaturesDetails = z.output<typeof doubleDescentFeaturesDetails>;
