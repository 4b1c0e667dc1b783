import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const STRATEGIES = ["naive", "ewc", "online-ewc", "l2", "replay", "agem", "lwf", "joint"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const ewcSpec = z
  .strictObject({
    /**
     * Chosen by validation ACC. docs/criteria.md 7a suggests 10 ... 1e5, a range set by implementations that square
     * batch-averaged gradients; our Fisher averages squared per-example gradients, which puts the useful lambda one to
     * two decades lower. A lambda whose stiffness lambda * max F exceeds plain SGD's stability limit 2 / lr diverges
     * and is rejected (recorded in the sweep).
     */
    lambdas: z.array(z.number().min(0).max(1e12)).min(1).max(12).default([1, 3, 10, 30, 100, 300, 1000]),
    /** Examples of each finished task used for its Fisher. */
    fisherSamples: z.number().int().min(1).max(60000).default(500),
    fisher: z.enum(["sampled", "empirical"]).default("sampled"),
    /** Decay of older Fisher information in online EWC. */
    gamma: z.number().min(0).max(1).default(1),
  })
  .prefault({});

export const l2Spec = z
  .strictObject({
    /** Unit importances: lambda above 2 / lr (40 at lr 0.05) is unstable under plain SGD. */
    lambdas: z.array(z.number().min(0).max(1e12)).min(1).max(12).default([0.01, 0.1, 1, 10]),
  })
  .prefault({});

export const replaySpec = z
  .strictObject({
    /** Reservoir memory over every finished task's examples. */
    bufferSize: z.number().int().min(1).max(60000).default(1000),
    /** Memory examples appended to each batch. */
    perBatch: z.number().int().min(1).max(4096).default(64),
  })
  .prefault({});

export const agemSpec = z
  .strictObject({
    /** GEM's MNIST setting: 256 memories per task. */
    memoriesPerTask: z.number().int().min(1).max(60000).default(256),
    /** Memory examples per reference gradient (A-GEM samples a batch from the whole memory). */
    referenceBatch: z.number().int().min(1).max(4096).default(256),
  })
  .prefault({});

/**
 * What makes one task differ from the next: a fixed pixel permutation (the first task keeps the pixels in place), or a
 * rotation (GEM's MNIST Rotations: task t turns its digits by an angle drawn in [t, t + 1) x 180 / tasks degrees).
 */
export const TASK_TRANSFORMS = ["permutation", "rotation"] as const;
export type TaskTransform = (typeof TASK_TRANSFORMS)[number];

export const lwfSpec = z
  .strictObject({
    /** Li & Hoiem 2016: lambda_o = 1 ... */
    weight: z.number().min(0).max(1e6).default(1),
    /** ... and T = 2. */
    temperature: z.number().positive().max(100).default(2),
  })
  .prefault({});

/** The hyperparameters of every strategy, the same fields in every task-sequence experiment. */
const strategyParameters = { ewc: ewcSpec, l2: l2Spec, replay: replaySpec, agem: agemSpec, lwf: lwfSpec };

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

export const splitSchema = z.strictObject({
  data: dataSpec({ trainSize: 10000, testSize: 2000 }),
  /** Class groups, one task each (docs/criteria.md 7c: 0/1, 2/3, ..., 8/9). */
  groups: z
    .array(z.array(z.number().int().min(0).max(9)).min(1).max(10))
    .min(2)
    .max(10)
    .default([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]),
  validationSize: z.number().int().min(10).max(10000).default(1000),
  model: modelSpec.default({ kind: "mlp", hidden: [256, 256], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "sgd", lr: 0.05, batchSize: 64, epochs: 5 }).prefault({}),
  /** van de Ven & Tolias 2019: EWC and LwF (no stored data) stay near fine-tuning here; replay does not. */
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "ewc", "lwf", "replay", "joint"]),
  /** replay: docs/criteria.md 7c asks for at least 100 stored examples per class (10 classes: 1,000, the default). */
  ...strategyParameters,
  claim: z
    .strictObject({
      /** docs/criteria.md 7c: fine-tuning ends with the old tasks at <= 5% (only the last pair survives). */
      naiveOld: z.number().min(0).max(1).default(0.05),
      /** EWC is not much better: final average accuracy <= 30%. */
      ewcAcc: z.number().min(0).max(1).default(0.3),
      /** Replay works: final average accuracy >= 70%. */
      replayAcc: z.number().min(0).max(1).default(0.7),
    })
    .prefault({}),
});

export type SplitConfig = z.output<typeof splitSchema>;

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

/** Split MNIST with a head per task (the task is known at training and test time): van de Ven & Tolias's Task-IL. */
export const splitTaskSchema = splitSchema.extend({
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "ewc", "lwf", "joint"]),
  claim: z
    .strictObject({
      /**
       * van de Ven & Tolias 2019, Table 2 (Task-IL split MNIST): EWC 98.64% ± 0.22 (fine-tuning 87.19%, LwF 99.57%).
       * Our smaller net and plain SGD get a 3.6 pp margin: EWC's final average accuracy >= 95% ...
       */
      ewcAcc: z.number().min(0).max(1).default(0.95),
      /** ... and the earlier tasks are mostly kept even by fine-tuning (their 87.2%; class-incremental: 0%): >= 80%. */
      naiveAcc: z.number().min(0).max(1).default(0.8),
    })
    .prefault({}),
});

export type SplitTaskConfig = z.output<typeof splitTaskSchema>;
