import { z } from "zod";
import { ACTIVATIONS } from "../../models/layers.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { denoisingSpec } from "../../analysis/pretraining.js";
import { initText } from "./specs.js";
import { measuredNumber, measuredNumbers } from "../details.js";

/** The two starting points compared: random initialization, and greedy layer-wise denoising pre-training. */
export const CONDITIONS = ["random", "pretrained"] as const;
export type Condition = (typeof CONDITIONS)[number];

export const pretrainingSchema = z.strictObject({
  data: dataSpec({ trainSize: 2000, testSize: 2000 }),
  /**
   * Labelled training-set sizes, each the first n of the data's training draw (pre-training sees the same n images,
   * without labels). The verdict judges the first size; docs/criteria.md §6 item 3 uses n = 2,000.
   */
  trainSizes: z.array(z.number().int().min(10).max(60000)).min(1).max(6).default([2000, 500]),
  /** Numbers of hidden layers (Erhan et al. Figure 1: 1 to 5). */
  depths: z.array(z.number().int().min(1).max(10)).min(1).max(10).default([1, 2, 3, 4, 5]),
  width: z.number().int().min(1).max(4096).default(256),
  /** Sigmoid units and the era's standard init U(-1/sqrt(n), 1/sqrt(n)): Erhan et al.'s setting (no ReLU, no BN). */
  activation: z.enum(ACTIVATIONS).default("sigmoid"),
  init: initText.default("standard"),
  /** Pairs (random init, pre-trained) per depth and size: the error distribution is over these. */
  replicas: z.number().int().min(2).max(400).default(10),
  pretrain: denoisingSpec.prefault({}),
  /**
   * Erhan et al. chose each setting's hyperparameters by validation error. When set, every (size, depth, condition)
   * cell first trains its first replica once per learning rate of `grid`, and all its replicas then train at the rate
   * with the lowest error on `validationSize` digits of the training draw that no labelled set contains (they follow
   * the largest of `trainSizes`, so data.trainSize must hold both). Absent: every cell trains at train.lr.
   */
  lrSelection: z
    .strictObject({
      grid: z.array(z.number().positive().max(10)).min(2).max(8),
      validationSize: z.number().int().min(100).max(20000),
    })
    .optional(),
  /** Supervised training of both conditions: plain SGD, constant rate, as Erhan et al.'s fine-tuning. */
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 10, epochs: 30, divergenceFactor: 0 }).prefault({}),
  /** Test images whose output probabilities place a network in function space (the trajectory figure). */
  probe: z.number().int().min(10).max(10000).default(300),
  claim: z
    .strictObject({
      /** docs/criteria.md §6 item 3 ("calibrate"): sd of test error at depth 4 >= 1.5 x sd at depth 1, without pre-training. */
      shallowDepth: z.number().int().min(1).max(10).default(1),
      deepDepth: z.number().int().min(1).max(10).default(4),
      sdRatio: z.number().min(0).max(1000).default(1.5),
      /** The deep random-init nets count as trained when their mean training error is at most this (chance is 90%). */
      trainedError: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
});

export type PretrainingConfig = z.output<typeof pretrainingSchema>;

/** What the figures read: every seed's test error by cell, the function-space trajectories, the layer-wise pre-training losses. */
export const pretrainingDetails = z.object({
  errors: z.record(z.string(), measuredNumbers).optional(),
  trajectories: z.array(z.object({ condition: z.enum(CONDITIONS), replica: z.number(), points: z.array(z.tuple([measuredNumber, measuredNumber])) })).optional(),
  reconstruction: z.array(z.array(z.object({ layer: z.string(), loss: measuredNumbers }))).optional(),
  /** Per cell (the metric key prefix), every candidate learning rate's validation error, when lrSelection is set. */
  lrSelection: z.record(z.string(), z.array(z.object({ lr: z.number(), validationError: measuredNumber }))).optional(),
});
export type PretrainingDetails = z.output<typeof pretrainingDetails>;
