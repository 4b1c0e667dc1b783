import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const compressibilitySchema = z.strictObject({
  data: dataSpec({ trainSize: 2000, testSize: 2000 }),
  /** The randomization experiment's 784-512-10 and its SGD, trained until the training set is fitted. */
  model: modelSpec.default({ kind: "mlp", hidden: [512], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "momentum", lr: 0.01, momentum: 0.9, batchSize: 128, epochs: 300 }).prefault({}),
  fitAccuracy: z.number().min(0.1).max(1).default(0.99),
  /** Global magnitude pruning of the kernels, no retraining. */
  sparsities: z.array(z.number().min(0).lt(1)).min(1).max(16).default([0.5, 0.7, 0.8, 0.9, 0.95, 0.98]),
  /** The small net each teacher is distilled into (16x fewer hidden units). */
  student: modelSpec.default({ kind: "mlp", hidden: [32], activation: "relu", init: "he", dropout: 0 }),
  studentTrain: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 100 }).prefault({}),
  /** Soft targets only (hardWeight 0): the student learns the teacher's function, labels included through it. */
  temperature: z.number().positive().max(100).default(4),
  claim: z
    .strictObject({
      /** The sparsity the pruning comparison is read at: 90% of the kernel weights removed. */
      at: z.number().min(0).lt(1).default(0.9),
    })
    .prefault({}),
});

export type CompressibilityConfig = z.output<typeof compressibilitySchema>;
