import { z } from "zod";
import { strictlyAscending } from "../sweep.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";
import { mlpSpec } from "../../models/builders.js";

export const doubleDescentWidthSchema = z.strictObject({
  data: dataSpec({ trainSize: 1000, testSize: 2000 }),
  /**
   * Hidden widths of the one-hidden-layer MLP, ascending. With 784 inputs and 10 outputs a width h has 795 h + 10
   * parameters; Belkin et al.'s interpolation threshold for K outputs, n K = 10,000 at n = 1,000, sits near h = 12.
   */
  widths: strictlyAscending(z.array(z.number().int().min(1).max(4096)).min(2).max(32)).default([2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 32, 48, 64, 128, 256]),
  /** Training labels replaced by a different class (Nakkiran et al. show model-wise double descent most clearly with label noise). */
  labelNoise: z.number().min(0).max(1).default(0.2),
  /** The activation, initialization and dropout of every width (its `hidden` is replaced by [width]). */
  model: mlpSpec.prefault({ activation: "relu", init: "he", dropout: 0 }),
  /** Trained towards zero training loss: Adam, a constant rate, no regularization, no early stopping. */
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 100, epochs: 1000, divergenceFactor: 0 }).prefault({}),
  /** Epochs (log-spaced, the last always included) at which train and test error are recorded: the epoch-wise curves. */
  curvePoints: z.number().int().min(2).max(200).default(30),
});

/** The metric key of one width's figure. */
export const widthKey = (what: "testError" | "trainError" | "trainLoss" | "parameters", width: number) => `${what}@${width}`;

export type DoubleDescentWidthConfig = z.output<typeof doubleDescentWidthSchema>;

export const EPOCH_FIELDS = ["epoch", "trainError", "testError"] as const;
export const doubleDescentWidthDetails = z.object({
  /** Per width (as a string key), the errors at the recorded epochs. */
  epochs: z.record(z.string(), z.array(curveRow(EPOCH_FIELDS))).optional(),
});
export type DoubleDescentWidthDetails = z.output<typeof doubleDescentWidthDetails>;
