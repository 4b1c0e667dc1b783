/** Learning rate as a pure function of the step, so a resumed or replayed run sees the same rates. */
import type { TrainConfig } from "./schema.js";

/** Batches in one pass over `examples` (the last one partial), as the training loop counts them. */
export function stepsPerEpochOf(examples: number, batchSize: number): number {
  return Math.ceil(examples / batchSize);
}

/** The steps a run of `cfg` over `examples` takes: train.steps when set, else whole epochs. */
export function totalStepsOf(cfg: Pick<TrainConfig, "steps" | "epochs" | "batchSize">, examples: number): number {
  return cfg.steps ?? stepsPerEpochOf(examples, cfg.batchSize) * cfg.epochs;
}

export function learningRateAt(cfg: TrainConfig, step: number, totalSteps: number, stepsPerEpoch: number): number {
  let lr = cfg.lr;
  if (cfg.warmupSteps > 0 && step < cfg.warmupSteps) return (lr * (step + 1)) / cfg.warmupSteps;
  const progress = totalSteps > 0 ? Math.min(1, step / totalSteps) : 0;
  switch (cfg.schedule) {
    case "constant":
      break;
    case "step":
      lr *= cfg.stepGamma ** Math.floor(step / stepsPerEpoch / cfg.stepEvery);
      break;
    case "cosine":
      lr *= 0.5 * (1 + Math.cos(Math.PI * progress));
      break;
    case "linear":
      lr *= 1 - progress;
      break;
  }
  return lr;
}
