import { z } from "zod";
import { measuredNumber, measuredNumbers } from "../details.js";

export const indexVsErrorSchema = z.strictObject({
  data: z
    .strictObject({
      dataset: z.string().min(1).default("mnist"),
      trainSize: z.number().int().min(10).max(10000).default(1000),
      /** Box-averaging factor: 4 turns 28 x 28 digits into 7 x 7 (Dauphin et al. used 10 x 10). */
      downsample: z.number().int().min(1).max(28).default(4),
    })
    .prefault({}),
  model: z
    .strictObject({
      /** docs/criteria.md 3c: 5 tanh hidden units, so the Hessian is a few hundred square. */
      hidden: z.number().int().min(1).max(20).default(5),
      /**
       * L2 penalty on every parameter. Without it the 5-unit net nearly separates 1,000 digits and has no minimum at
       * finite weights: damped Newton then crawls for hundreds of steps (measured: 300 steps, ||g|| still 2e-3 at
       * 1.1% error). 1e-4 shifts every eigenvalue by 1e-4, against a top eigenvalue near 1.
       */
      weightDecay: z.number().min(0).max(1).default(1e-4),
    })
    .prefault({}),
  search: z
    .strictObject({
      /**
       * Damped-Newton minimizations from fresh random weights for every number of active hidden units, 0 to all: with
       * units switched off (weights in and out zero) a minimum of the smaller net is an exact critical point of the
       * full one (Fukumizu & Amari 2000), at the smaller net's higher error.
       */
      restartsPerLevel: z.number().int().min(1).max(50).default(10),
      /** Newton steps on the loss per minimization. */
      minimizeIterations: z.number().int().min(1).max(2000).default(200),
      /**
       * Dauphin et al.'s search: Newton's method on the gradient map (Levenberg-Marquardt on ||grad||^2, which goes to
       * saddles as readily as to minima), started from every found point perturbed by Gaussian noise of this sd
       * relative to the point's root-mean-square weight.
       */
      perturbation: z.number().min(0).max(10).default(0.05),
      /** ... and from snapshots of a plain SGD run on the same loss after these epochs. */
      snapshotEpochs: z.array(z.number().int().min(1).max(1000)).max(20).default([1, 3, 10, 30]),
      sgd: z.strictObject({ lr: z.number().positive().max(10).default(0.1), batchSize: z.number().int().min(1).max(10000).default(10) }).prefault({}),
      /** Levenberg-Marquardt steps per search from a perturbed point or a snapshot. */
      newtonIterations: z.number().int().min(1).max(2000).default(60),
      /** docs/criteria.md 3c: a point counts only with ||grad L|| <= this x ||grad L(theta_0)|| at a random init. */
      relativeTolerance: z.number().positive().max(1e-2).default(1e-6),
    })
    .prefault({}),
  spectrum: z
    .strictObject({
      /** An eigenvalue is negative below -this x the largest |eigenvalue| (rounding, not curvature, below it). */
      signTolerance: z.number().positive().max(1e-2).default(1e-6),
      /** Eigenvalues within +-this x the largest |eigenvalue| are reported as flat directions, apart from the index. */
      flatTolerance: z.number().positive().max(0.5).default(1e-3),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 3c (calibrate): Spearman(error, index) >= 0.6 ... */
      minSpearman: z.number().min(-1).max(1).default(0.6),
      /** ... over >= 20 verified critical points ... */
      minPoints: z.number().int().min(2).max(1000).default(20),
      /** ... the lowest-error points (here: the lowest-error tenth) have index <= 0.02 ... */
      lowErrorMaxIndex: z.number().min(0).max(1).default(0.02),
      /** ... and at least 3 points have index >= 0.05. */
      highIndex: z.number().min(0).max(1).default(0.05),
      minHighIndexPoints: z.number().int().min(0).max(1000).default(3),
    })
    .prefault({}),
});

export type IndexVsErrorConfig = z.output<typeof indexVsErrorSchema>;

/** Where a search started; every kind ends in the same verification. */
export const POINT_SOURCES = ["minimum", "reduced-net", "perturbed", "snapshot"] as const;
export type PointSource = (typeof POINT_SOURCES)[number];

/** Every verified critical point, duplicates included (`duplicate` marks a point found before): what the figures read. */
export const indexVsErrorDetails = z.object({
  parameters: z.number(),
  tolerance: measuredNumber,
  points: z.array(
    z.object({
      source: z.enum(POINT_SOURCES),
      activeUnits: z.number(),
      loss: measuredNumber,
      error: measuredNumber,
      gradientNorm: measuredNumber,
      index: measuredNumber,
      flat: measuredNumber,
      minEigenvalue: measuredNumber,
      maxEigenvalue: measuredNumber,
      /** The lowest eigenvalues, ascending (for the spectra figure). */
      lowest: measuredNumbers,
      duplicate: z.boolean(),
    }),
  ),
});
export type IndexVsErrorDetails = z.output<typeof indexVsErrorDetails>;
