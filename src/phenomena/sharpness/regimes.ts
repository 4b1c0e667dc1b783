/** Property 4's two training regimes: one net, one initialization, small and large batches, each until it plateaus. */
import type { z } from "zod";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { plateauStop } from "../../training/early-stop.js";
import type { TrainResult } from "../../training/loop.js";
import type { ExperimentContext } from "../experiment.js";
import { trainNamedModelWithHistory } from "../train-named.js";
import type { regimeFields } from "./schema.js";

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
export function trainRegime(ctx: ExperimentContext, config: RegimeConfig, regime: Regime, train: Dataset, onInit?: (model: Sequential) => void): Promise<{ model: Sequential; result: TrainResult }> {
  return trainNamedModelWithHistory(ctx, regime.name, config.model, train, { ...config.train, batchSize: regime.batchSize, epochs: regime.epochs, evalTrain: true }, {
    initFrom: "net",
    ...(onInit ? { onInit } : {}),
    plugins: [plateauStop(config.patience)],
  });
}
