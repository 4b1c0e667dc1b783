import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { measuredNumber, measuredNumbers } from "../details.js";

/** What two runs share: the initialization, the data order, or neither. */
export const PAIR_KINDS = ["sameInit", "sameOrder", "neither"] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export const orderVsInitSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** The 784-100-10 ReLU MLP and plain SGD of the interpolation experiments (docs/criteria.md 3a/3b). */
  model: modelSpec.default({ kind: "mlp", hidden: [100], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  /** Initializations x data orders: every combination is trained once. */
  inits: z.number().int().min(2).max(8).default(3),
  orders: z.number().int().min(2).max(8).default(3),
  /** Spacing of α on the straight line between two runs (0 and 1 always included). */
  alphaStep: z.number().positive().max(0.5).default(0.1),
  claim: z
    .strictObject({
      /**
       * Frankle et al. 2020 call a network stable to SGD noise when the test-error barrier between two copies trained
       * with different data orders is within 2 percentage points, and find LeNet-300-100 on MNIST stable from step 0.
       */
      stableErrorBarrier: z.number().min(0).max(1).default(0.02),
      /** docs/criteria.md 3b: two nets from different initializations are separated by a training-loss barrier of >= 0.1 nats. */
      minInitBarrier: z.number().min(0).max(100).default(0.1),
    })
    .prefault({}),
});

export type OrderVsInitConfig = z.output<typeof orderVsInitSchema>;

/** What the figures read: the runs, every pair's disagreement, barriers and error along the line, and the line's alphas. */
export const orderVsInitDetails = z.object({
  runs: z.array(z.object({ name: z.string() })),
  pairs: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      kind: z.enum(PAIR_KINDS),
      disagreement: measuredNumber,
      trainLossBarrier: measuredNumber,
      testError: measuredNumbers,
    }),
  ),
  alphas: measuredNumbers,
});
export type OrderVsInitDetails = z.output<typeof orderVsInitDetails>;
