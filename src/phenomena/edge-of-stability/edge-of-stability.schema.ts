import { z } from "zod";
import { mlpSpec } from "../../models/builders.js";
import { dataSpec } from "../data.js";
import { strictlyAscending } from "../sweep.js";

export const edgeOfStabilitySchema = z.strictObject({
  /** docs/criteria.md §8.8: a 1,000-digit training subset, trained full-batch. The test digits are only reported. */
  data: dataSpec({ trainSize: 1000, testSize: 1000 }),
  /** §8.8: a 784-100-10 tanh MLP; "standard" is PyTorch's default U(±1/sqrt(fan-in)) weights, which Cohen et al. used. */
  model: mlpSpec.default({ kind: "mlp", hidden: [100], activation: "tanh", init: "standard", dropout: 0 }),
  /**
   * "pixels": MNIST's [0, 1]. "standardized": every pixel centred and scaled by the training digits' mean and standard
   * deviation, as Cohen et al.'s code prepares CIFAR's images; on MNIST it blows rarely-inked pixels up to tens of
   * standard deviations and slows the sharpening (the README gives the figures), so it is an option, not the default.
   */
  inputs: z.enum(["pixels", "standardized"]).default("pixels"),
  /**
   * Step sizes of full-batch gradient descent on the squared error (Cohen et al.'s MSE: half the squared distance to
   * the one-hot label, summed over classes, averaged over examples), every one from the same initialization. §8.8
   * judges 0.02 and 0.04.
   */
  etas: strictlyAscending(z.array(z.number().positive().max(10)).min(1).max(8)).default([0.02, 0.04]),
  /** Step sizes small enough that the sharpness should stay below 2/eta within their steps: reported, not judged. */
  smallEtas: strictlyAscending(z.array(z.number().positive().max(10)).max(8)).default([0.01]),
  /**
   * How long each step size trains, in gradient-flow time eta x steps: gradient descent at any small step follows the
   * same flow until it meets its edge, so equal flow time is a fair horizon (a smaller eta takes proportionally more
   * steps). Cohen et al. trained each step size until the loss reached a threshold instead.
   */
  horizon: z.number().positive().max(1e6).default(200),
  /** No step size runs more steps than this (the small ones then see less flow time: their figures say how much). */
  maxSteps: z.number().int().min(10).max(1_000_000).default(10000),
  sharpness: z
    .strictObject({
      /** §8.8: every 50 steps. */
      every: z.number().int().min(1).max(100_000).default(50),
      /** §8.8: about 20 power-iteration steps (warm-started: fewer usually reach the tolerance). */
      iterations: z.number().int().min(1).max(1000).default(20),
      /** Stop when the Rayleigh quotient changes by less than this (relative): warm starts reach it in a few products. */
      tolerance: z.number().min(0).max(1).default(1e-4),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** §8.8: the top eigenvalue reaches at least 0.9 x 2/eta ... */
      minReach: z.number().min(0).max(10).default(0.9),
      /** ... and stays within [0.8, 1.3] x 2/eta ... */
      band: z.tuple([z.number().min(0), z.number().min(0)]).default([0.8, 1.3]),
      /** ... for the final half of training. */
      finalFraction: z.number().gt(0).max(1).default(0.5),
    })
    .prefault({}),
});

export type EdgeOfStabilityConfig = z.output<typeof edgeOfStabilitySchema>;

/** The steps step size `eta` trains for. */
export function stepsFor(config: Pick<EdgeOfStabilityConfig, "horizon" | "maxSteps">, eta: number): number {
  return Math.max(1, Math.min(config.maxSteps, Math.round(config.horizon / eta)));
}
