/** Property 4's two training regimes: one net, one initialization, small and large batches, each until it plateaus. */
import { z } from "zod";
import { modelSpec } from "../models/builders.js";
import { trainSpecWith } from "../training/schema.js";
import type { Dataset } from "../data/dataset.js";
import type { Sequential } from "../models/sequential.js";
import { plateauStop } from "../training/early-stop.js";
import type { TrainResult } from "../training/loop.js";
import type { TrainingContext } from "./context.js";
import { trainNamedModelWithHistory } from "./train-named.js";

/**
 * The small- and large-batch training of property 4 (Keskar et al.'s comparison), shared by every experiment that
 * compares the two solutions (batch-size; surface-2d draws their loss surfaces).
 */
export const regimeFields = {
  /** docs/criteria.md 4a "F1-lite": 784-128-128-10 ReLU, no batch norm. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 128], activation: "relu", init: "he", dropout: 0 }),
  /** Adam, lr 1e-3 for both (docs/criteria.md 4a; Keskar et al. used Adam). The batch size is set per regime below. */
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, epochs: 200 }).prefault({}),
  /** Small batch: Keskar et al.'s 256 on larger sets; docs/criteria.md 4a: 32. */
  smallBatch: z.number().int().min(1).max(65536).default(32),
  /** Large batch as a fraction of the training set (Keskar et al.: 10%; Li et al.: 8192 of 50k, 16%). */
  largeBatchFraction: z.number().gt(0).max(1).default(0.1),
  /** Epoch budgets: train until the training loss stops improving, capped (docs/criteria.md 4a: LB at most 200). */
  smallEpochs: z.number().int().min(1).max(10000).default(100),
  largeEpochs: z.number().int().min(1).max(10000).default(200),
  /**
   * "Stops improving": less than 1% relative improvement of the whole training set's loss (evaluation mode, measured
   * after every epoch) for this many epochs. A first version used the noisy mean of the epoch's batch losses with a
   * patience of 5: one seed's small-batch run stopped at epoch 17 with 25x the large-batch training loss, which is not
   * the "comparable training loss" the comparison needs.
   */
  patience: z.number().int().min(1).max(1000).default(10),
};

type RegimeConfig = { [K in keyof typeof regimeFields]: z.output<(typeof regimeFields)[K]> };

export interface Regime {
  name: "small" | "large";
  batchSize: number;
  epochs: number;
}

export function regimesFor(config: RegimeConfig, trainSize: number): Regime[] {
  return [
    { name: "small", batchSize: config.smallBatch, epochs: config.smallEpochs },
    { name: "large", batchSize: Math.max(1, Math.round(config.largeBatchFraction * trainSize)), epochs: config.largeEpochs },
  ];
}

/** Trains one regime from the shared initialization ("net"), stopping when the whole training set's loss plateaus. */
export function trainRegime(ctx: TrainingContext, config: RegimeConfig, regime: Regime, train: Dataset, onInit?: (model: Sequential) => void): Promise<{ model: Sequential; result: TrainResult }> {
  return trainNamedModelWithHistory(ctx, regime.name, config.model, train, { ...config.train, batchSize: regime.batchSize, epochs: regime.epochs, evalTrain: true }, {
    initFrom: "net",
    ...(onInit ? { onInit } : {}),
    plugins: [plateauStop(config.patience)],
  });
}
