import { z } from "zod";
import { mlpSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";

/** The ticket (survivors rewound to their initialization) and its two controls. */
export const ARMS = ["ticket", "reinit", "randomMask"] as const;
export type Arm = (typeof ARMS)[number];

export const lotteryTicketSchema = z.strictObject({
  /** docs/criteria.md §8.2: 8k training images (plus the validation digits below, drawn with them). */
  data: dataSpec({ trainSize: 9000, testSize: 2000 }),
  /** Digits of the training draw held out for the early-stopping criterion (Frankle & Carbin: 5k of MNIST's 60k). */
  validationSize: z.number().int().min(10).max(10000).default(1000),
  /** LeNet-300-100 with Glorot initialization, as Frankle & Carbin. */
  model: mlpSpec.prefault({ hidden: [300, 100], activation: "relu", init: "xavier", dropout: 0 }),
  /** Frankle & Carbin: Adam at 1.2e-3, batch 60; docs/criteria.md §8.2: 5 epochs per round. */
  train: trainSpecWith({ optimizer: "adam", lr: 0.0012, batchSize: 60, epochs: 5 }).prefault({}),
  /** Pruning rounds after the dense round 0; 14 rounds at 20% leave 4.4% of the hidden layers' weights. */
  rounds: z.number().int().min(1).max(40).default(14),
  /** Fraction of the surviving weights removed per round: the hidden layers' kernels, and the output layer's. */
  pruneRate: z.strictObject({ hidden: z.number().min(0).lt(1).default(0.2), output: z.number().min(0).lt(1).default(0.1) }).prefault({}),
  /** Iterations between evaluations of validation loss (early stopping) and test accuracy. */
  evalEvery: z.number().int().min(1).max(100000).default(100),
  claim: z
    .strictObject({
      /** §8.2: the round whose remaining weights are nearest 10%: the ticket within this much of the dense net. */
      matchAt: z.number().gt(0).lt(1).default(0.1),
      maxLossVsDense: z.number().min(0).max(1).default(0.005),
      /** §8.2: the round nearest 5%: ticket minus the randomly re-initialized same mask, at least this much. */
      gapAt: z.number().gt(0).lt(1).default(0.05),
      minGapOverReinit: z.number().min(0).max(1).default(0.015),
    })
    .prefault({}),
});

export type LotteryTicketConfig = z.output<typeof lotteryTicketSchema>;

export const ROUND_FIELDS = ["round", "remaining", "testAccuracy", "finalTestAccuracy", "earlyStopIteration"] as const;
export const lotteryTicketDetails = z.object({
  rounds: z.record(z.string(), z.array(curveRow(ROUND_FIELDS))).optional(),
});
export type LotteryTicketDetails = z.output<typeof lotteryTicketDetails>;

/** Metric keys: test accuracy at the early-stopping iteration, that iteration, the end-of-training accuracy. */
export const roundKey = (arm: Arm, what: "testAccuracy" | "earlyStop" | "finalTestAccuracy", round: number) => `${arm}.${what}@${round}`;
export const remainingKey = (round: number) => `remaining@${round}`;

/** Kernel weights remaining after `round` rounds, from the layer sizes alone (the same in every seed). */
export function remainingAfter(round: number, kernelSizes: readonly number[], rates: { hidden: number; output: number }): number {
  let kept = 0;
  let total = 0;
  kernelSizes.forEach((size, k) => {
    const rate = k === kernelSizes.length - 1 ? rates.output : rates.hidden;
    let alive = size;
    for (let r = 0; r < round; r++) alive -= Math.round(rate * alive);
    kept += alive;
    total += size;
  });
  return kept / total;
}
