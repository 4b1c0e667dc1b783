/** Config pieces every task-sequence experiment shares: the strategies and their hyperparameters. */
import { z } from "zod";
import { isPlainObject } from "../../core/merge.js";
import { measuredNumbers } from "../details.js";

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
export const strategyParameters = { ewc: ewcSpec, l2: l2Spec, replay: replaySpec, agem: agemSpec, lwf: lwfSpec };

/**
 * What the task-sequence figures read: one entry per strategy with its accuracy matrix R (row i: after training task
 * i; column j: tested on task j). Other entries of the details (the images) are not a strategy's and are left out.
 */
export const sequenceDetails = z.preprocess(
  (d) => (isPlainObject(d) ? Object.fromEntries(Object.entries(d).filter(([, v]) => isPlainObject(v) && Array.isArray(v.R))) : d),
  z.record(z.string(), z.object({ R: z.array(measuredNumbers) })),
);
export type SequenceDetails = z.output<typeof sequenceDetails>;
