import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { linePointDetails } from "../details.js";

export const interpolationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 3a/3b: a 784-100-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [100], activation: "relu", init: "he", dropout: 0 }),
  /** Goodfellow et al. trained with SGD; Adam's per-parameter scaling would bend the path differently. */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  alphas: z
    .strictObject({
      /** The range: beyond both ends, to see the curve rise again past the solution. */
      from: z.number().min(-5).max(0).default(-0.5),
      to: z.number().min(1).max(6).default(1.5),
      step: z.number().positive().max(0.5).default(0.025),
    })
    .prefault({}),
  /**
   * Also train a third net from the first net's initialization with a different data order (Frankle et al. 2020:
   * on MNIST such twins are often linearly connected, barrier near 0).
   */
  sameInitControl: z.boolean().default(true),
  claim: z
    .strictObject({
      /** docs/criteria.md 3a: training loss non-increasing on [0, 1], bumps at most 1% of L(0) (≈ ln 10). */
      maxRiseFraction: z.number().min(0).max(1).default(0.01),
      /** docs/criteria.md 3b: barrier between two independently trained nets at least 0.1 nats. */
      minBarrier: z.number().min(0).max(100).default(0.1),
    })
    .prefault({}),
  saveArtifacts: z.boolean().default(true),
});

export type InterpolationConfig = z.output<typeof interpolationSchema>;

/** What the figures read: the loss and accuracy along each straight line. */
export const interpolationDetails = z.object({ curves: z.record(z.string(), z.array(linePointDetails)) });
export type InterpolationDetails = z.output<typeof interpolationDetails>;
