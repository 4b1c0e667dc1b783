import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { STRATEGIES, TASK_TRANSFORMS, strategyParameters } from "./specs.js";

export const permutedSchema = z.strictObject({
  /** docs/criteria.md 7a: the 8k images under 5 fixed permutations (the first the identity). */
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  tasks: z.number().int().min(2).max(20).default(5),
  transform: z.enum(TASK_TRANSFORMS).default("permutation"),
  /** Training digits held out of every task to choose lambda (never the test set). */
  validationSize: z.number().int().min(10).max(10000).default(1000),
  /** The GEM architecture. */
  model: modelSpec.default({ kind: "mlp", hidden: [100, 100], activation: "relu", init: "he", dropout: 0 }),
  /** Per task. Plain SGD for every strategy (Adam forgets differently: docs/criteria.md §7 pitfalls). */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.05, batchSize: 64, epochs: 5 }).prefault({}),
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "ewc", "online-ewc", "l2", "replay", "joint"]),
  ...strategyParameters,
  claim: z
    .strictObject({
      /** docs/criteria.md 7a: sequential SGD loses >= 25 pp on task 1 by the end. */
      naiveDrop: z.number().min(0).max(1).default(0.25),
      /** docs/criteria.md 7a: and BWT <= -0.15. */
      naiveBwt: z.number().min(-1).max(0).default(-0.15),
      /** docs/criteria.md 7a: EWC keeps task 1 within 10 pp of its post-training value ... */
      ewcDrop: z.number().min(0).max(1).default(0.1),
      /** ... and its ACC beats sequential SGD by >= 10 pp. */
      ewcGain: z.number().min(0).max(1).default(0.1),
    })
    .prefault({}),
});

export type PermutedConfig = z.output<typeof permutedSchema>;
