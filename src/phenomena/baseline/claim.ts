import type { Claim } from "../experiment.js";
import type { BaselineConfig } from "./schema.js";

export const baselineClaim: Claim<BaselineConfig> = {
  statement: "A small network trained on MNIST (by default a 784-256-10 ReLU MLP) reaches high test accuracy.",
  citation: "LeCun, Bottou, Bengio & Haffner 1998, Gradient-based learning applied to document recognition (MNIST benchmark table)",
  verdict(metrics, config) {
    const measured = metrics.testAccuracy ?? Number.NaN;
    const threshold = config.claim.minTestAccuracy;
    const reproduced = measured >= threshold;
    return {
      reproduced,
      measured,
      threshold,
      note: `test accuracy ${(measured * 100).toFixed(2)}% on ${config.data.testSize} test digits after training on ${config.data.trainSize}; needs >= ${(threshold * 100).toFixed(1)}%`,
    };
  },
};
