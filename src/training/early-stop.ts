/** Stop training when the epoch's training loss has not improved by `minImprovement` (relative) for `patience` epochs. */
import type { TrainPlugin } from "./loop.js";

export function plateauStop(patience: number, minImprovement = 0.01): TrainPlugin & { stoppedAt?: number } {
  let best = Number.POSITIVE_INFINITY;
  let since = 0;
  const plugin: TrainPlugin & { stoppedAt?: number } = {
    name: "plateau-stop",
    afterEpoch(state, metrics) {
      const loss = metrics.trainEvalLoss ?? metrics.trainLoss;
      if (loss < best * (1 - minImprovement)) {
        best = loss;
        since = 0;
      } else if (++since >= patience) {
        state.stop = true;
        plugin.stoppedAt = metrics.epoch;
      }
    },
  };
  return plugin;
}
