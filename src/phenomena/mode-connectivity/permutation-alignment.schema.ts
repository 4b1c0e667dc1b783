import { z } from "zod";
import { strictlyAscending } from "../sweep.js";
import { mlpSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";

export const permutationAlignmentSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** Hidden widths w of the 784-w-w-10 MLPs (Entezari et al. and Ainsworth et al.: the barrier after alignment shrinks with width). */
  widths: strictlyAscending(z.array(z.number().int().min(2).max(4096)).min(1).max(12)).default([32, 64, 128, 256, 512, 1024]),
  /** Activation and initialization of both nets (hidden is [w, w]). */
  model: mlpSpec.prefault({ activation: "relu", init: "he", dropout: 0 }),
  /** Both nets of a width: the same recipe, different initialization and data order. */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  /** Coordinate-descent passes of weight matching at most (it stops earlier when no permutation changes). */
  maxIterations: z.number().int().min(1).max(1000).default(50),
  /** Step of the straight line's alpha in [0, 1]. */
  step: z.number().positive().max(0.5).default(0.1),
  claim: z
    .strictObject({
      /** §8.4 (optional item): weight matching removes at least half of the linear barrier, at the widest w. */
      minReduction: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
});

export type PermutationAlignmentConfig = z.output<typeof permutationAlignmentSchema>;

export const alignKey = (what: "barrierBefore" | "barrierAfter" | "errorBarrierBefore" | "errorBarrierAfter" | "reduction" | "iterations" | "testError", width: number) => `${what}@${width}`;

export const LINE_FIELDS = ["alpha", "lossBefore", "lossAfter", "testErrorBefore", "testErrorAfter"] as const;
export const permutationAlignmentDetails = z.object({
  /** Per width (string key): training loss and test error along the line, before and after alignment. */
  lines: z.record(z.string(), z.array(curveRow(LINE_FIELDS))).optional(),
});
export type PermutationAlignmentDetails = z.output<typeof permutationAlignmentDetails>;
