import type { Claim } from "../experiment.js";
import { check, formats, judge } from "../verdict-kit.js";
import type { BaselineConfig } from "./baseline.schema.js";

export const baselineClaim: Claim<BaselineConfig> = {
  statement: "A small network trained on MNIST (by default a 784-256-10 ReLU MLP) reaches high test accuracy.",
  citation: "LeCun, Bottou, Bengio & Haffner 1998, Gradient-based learning applied to document recognition (MNIST benchmark table)",
  verdict(metrics, config) {
    return judge([check("test accuracy", metrics.testAccuracy, { atLeast: config.claim.minTestAccuracy }, { format: formats.percent(2), formatBound: formats.percent(1) })], {
      reported: [`on ${config.data.testSize} test digits after training on ${config.data.trainSize}`],
    });
  },
  notAtQuickScale:
    "2,000 training digits and 5 epochs reach about 91% test accuracy (seed 1); the claim's 97.5% needs the standard preset's full training set and schedule. The quick preset judges against 85% and says so (changedThresholds).",
};
