import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { curveRow } from "../details.js";

export const REGULARIZERS = ["none", "weight-decay", "dropout", "both"] as const;

export const regularizersSchema = z.strictObject({
  /** As the randomization experiment (docs/criteria.md 5a): 2,000 training digits, the 2k test set. */
  data: dataSpec({ trainSize: 2000, testSize: 2000 }),
  /** 784-512-10, Zhang et al.'s "MLP 1x512"; the dropout rate comes from the regularizer setting, not from here. */
  model: modelSpec.default({ kind: "mlp", hidden: [512], activation: "relu", init: "he", dropout: 0 }),
  /** The randomization experiment's SGD; only the regularizers change between settings. */
  train: trainSpecWith({ optimizer: "momentum", lr: 0.01, momentum: 0.9, batchSize: 128, epochs: 300 }).prefault({}),
  regularizers: z.array(z.enum(REGULARIZERS)).min(1).max(4).default([...REGULARIZERS]),
  /** L2 coefficient of the weight-decay settings (Zhang et al. used 5e-4 style values for their CIFAR nets). */
  weightDecay: z.number().gt(0).max(1).default(5e-4),
  /** Dropout rate after each hidden layer in the dropout settings (Srivastava et al.'s 0.5 for hidden units). */
  dropout: z.number().gt(0).max(0.95).default(0.5),
  /** A run counts as fitted when the whole training set is classified at least this well (eval mode). */
  fitAccuracy: z.number().min(0.1).max(1).default(0.99),
  stopAtFit: z.boolean().default(true),
  claim: z
    .strictObject({
      /**
       * "Not necessary": without any regularizer, true-label test accuracy within this much of the best regularized
       * setting. Zhang et al.'s Table 1 gaps between regularized and unregularized nets reach 3.3 pp (Inception,
       * augmentation + weight decay 89.05% vs none 85.75%); the MLP 1x512 differs by 0.1 pp.
       */
      necessaryGap: z.number().min(0).max(1).default(0.035),
      /**
       * "Not sufficient": with each regularizer the random labels are still fitted to this training accuracy. Zhang et
       * al.'s Table 2: Inception on ImageNet with weight decay and dropout still reaches 95.2% top-1 on random labels.
       */
      randomFit: z.number().min(0).max(1).default(0.95),
    })
    .prefault({}),
});

export type RegularizersConfig = z.output<typeof regularizersSchema>;

/** What the figures read: the training curve of every (labels, regularizer) cell. */
export const regularizersDetails = z.object({ curves: z.record(z.string(), z.array(curveRow(["epoch", "trainAccuracy"]))) });
export type RegularizersDetails = z.output<typeof regularizersDetails>;
