import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { STRATEGIES, TASK_TRANSFORMS, strategyParameters } from "./specs.js";

/** The stream's default learning rate (GEM's "single" baseline); per-strategy rates are in learningRates. */
const STREAM_LR = 0.03;

export const streamSchema = z.strictObject({
  /** The pool each task draws its examples from (GEM: 1,000 per task from MNIST's training set). */
  data: dataSpec({ trainSize: 20000, testSize: 1000 }),
  /** GEM's MNIST Permutations: 20 tasks. */
  tasks: z.number().int().min(2).max(50).default(20),
  transform: z.enum(TASK_TRANSFORMS).default("permutation"),
  examplesPerTask: z.number().int().min(10).max(60000).default(1000),
  validationSize: z.number().int().min(10).max(10000).default(200),
  /** GEM's MNIST net: 2 hidden layers of 100 ReLUs. */
  model: modelSpec.default({ kind: "mlp", hidden: [100, 100], activation: "relu", init: "he", dropout: 0 }),
  /** GEM's stream: batch 10, a single pass, plain SGD. */
  train: trainSpecWith({ optimizer: "sgd", lr: STREAM_LR, batchSize: 10, epochs: 1 }).prefault({}),
  /**
   * GEM's tuned learning rates (run_experiments.sh): single 0.03, GEM 0.1 (used for A-GEM), EWC 0.1; a strategy not
   * listed uses train.lr. Each field has its own default, so `--set learningRates.naive=0.1` changes only that one.
   */
  learningRates: z
    .strictObject({
      naive: z.number().positive().max(10).default(0.03),
      agem: z.number().positive().max(10).default(0.1),
      ewc: z.number().positive().max(10).default(0.1),
      "online-ewc": z.number().positive().max(10).optional(),
      l2: z.number().positive().max(10).optional(),
      replay: z.number().positive().max(10).optional(),
      lwf: z.number().positive().max(10).optional(),
      joint: z.number().positive().max(10).optional(),
    })
    .prefault({}),
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "agem"]),
  ...strategyParameters,
  claim: z
    .strictObject({
      /** docs/criteria.md 7b: BWT(A-GEM) >= BWT(single) + 0.10 ... */
      bwtGain: z.number().min(0).max(2).default(0.1),
    })
    .prefault({}),
}).superRefine((config, issues) => {
  // A train.lr that no strategy uses must not pass silently: the strategies with a rate of their own ignore it.
  if (config.train.lr === STREAM_LR) return;
  const rates = config.learningRates as Partial<Record<string, number>>;
  const ignoring = config.strategies.filter((s) => rates[s] !== undefined && rates[s] !== config.train.lr);
  if (ignoring.length === 0) return;
  issues.addIssue({
    code: "custom",
    path: ["train", "lr"],
    message: `${config.train.lr} would not be used by ${ignoring.join(", ")}: they take their rates from learningRates (${ignoring.map((s) => `${s} ${rates[s]}`).join(", ")}, GEM's tuned values); set each one's rate instead (--set learningRates.${ignoring[0]}=${config.train.lr})`,
  });
});

export type StreamConfig = z.output<typeof streamSchema>;
