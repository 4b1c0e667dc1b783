/** Learning rate as a pure function of the step, so a resumed or replayed run sees the same rates. */
import type { TrainConfig } from "./schema.js";

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
