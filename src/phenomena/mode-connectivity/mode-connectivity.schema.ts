import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { linePointDetails } from "../details.js";

export const modeConnectivitySchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md §8.4: two 784-100-10 MLPs from different seeds (initialization and data order). */
  model: modelSpec.default({ kind: "mlp", hidden: [100], activation: "relu", init: "he", dropout: 0 }),
  /** The endpoints' training: the interpolation experiment's SGD (docs/criteria.md 3b measures the same barrier). */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  /** The control point's training: Adam on the loss at one random t per minibatch, from the line's midpoint (§8.4: about 5 epochs). */
  curve: z
    .strictObject({
      epochs: z.number().int().min(1).max(1000).default(5),
      batchSize: z.number().int().min(1).max(65536).default(128),
      lr: z.number().positive().max(1).default(0.001),
    })
    .prefault({}),
  /** Points of t (and of the line's alpha) in [0, 1] at which loss and error are measured on the whole sets. */
  step: z.number().positive().max(0.5).default(0.05),
  claim: z
    .strictObject({
      /** §8.4: the straight line's barrier is at least 0.1 nats of training loss, or at least 5 points of test error. */
      minLineLossBarrier: z.number().min(0).max(100).default(0.1),
      minLineErrorBarrier: z.number().min(0).max(1).default(0.05),
      /** §8.4: the largest test error along the Bézier curve is at most the worse endpoint's plus 1 point. */
      maxCurveExcessError: z.number().min(0).max(1).default(0.01),
    })
    .prefault({}),
});

export type ModeConnectivityConfig = z.output<typeof modeConnectivitySchema>;

export const modeConnectivityDetails = z.object({ paths: z.record(z.string(), z.array(linePointDetails)).optional() });
export type ModeConnectivityDetails = z.output<typeof modeConnectivityDetails>;
