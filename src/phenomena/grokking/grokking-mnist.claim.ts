import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import { scaleKey, type GrokkingMnistConfig } from "./grokking-mnist.schema.js";

const times = (v: number) => `${v.toFixed(1)}x`;
const pct = (v: number | undefined) => formats.percent(1)(v ?? Number.NaN);
const step = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "never" : `step ${v}`);

export const grokkingMnistClaim: Claim<GrokkingMnistConfig> = {
  statement:
    "Grokking: a network can fit its training set long before it generalizes — test accuracy arrives only many times later, while weight decay slowly shrinks the weights. Omnigrok traces it to the weight norm: started at a large scale, an MLP on 1,000 MNIST digits memorizes at once and generalizes ten and more times later; at the usual scale the two come together.",
  citation: "Liu, Michaud & Tegmark 2023, Omnigrok: Grokking Beyond Algorithmic Data (ICLR); Power, Burda, Edwards, Babuschkin & Misra 2022, Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
  verdict(metrics, config) {
    const c = config.claim;
    const large = scaleKey(config.initScales.at(-1)!);
    const small = scaleKey(config.initScales[0]!);
    const label = (k: string, scale: number) =>
      `init x${scale}: steps to ${formats.percent(0)(c.testFraction)} of the final test accuracy over steps to ${formats.percent(0)(c.trainAccuracy)} training accuracy (${step(metrics[`${k}.stepToGeneralize`])} vs ${step(metrics[`${k}.stepToFit`])})`;
    const checks = [check(label(large, config.initScales.at(-1)!), metrics[`${large}.delay`], { atLeast: c.minDelay }, { format: times, formatBound: times })];
    if (config.initScales.length > 1) checks.push(check(label(small, config.initScales[0]!), metrics[`${small}.delay`], { atMost: c.maxControlDelay }, { format: times, formatBound: times }));
    return judge(checks, {
      threshold: c.minDelay,
      reported: config.initScales.map((s) => `init x${s}: final test accuracy ${pct(metrics[`${scaleKey(s)}.finalTestAccuracy`])} (${pct(metrics[`${scaleKey(s)}.testAccuracyWhenFitted`])} when the training set was fitted), weight norm ${(metrics[`${scaleKey(s)}.initialWeightNorm`] ?? Number.NaN).toFixed(1)} -> ${(metrics[`${scaleKey(s)}.finalWeightNorm`] ?? Number.NaN).toFixed(1)}`),
    });
  },
  interpret(metrics, config) {
    return config.initScales
      .map((s) => {
        const k = scaleKey(s);
        return `At init x${s} the net fits its training digits at ${step(metrics[`${k}.stepToFit`])} with ${pct(metrics[`${k}.testAccuracyWhenFitted`])} test accuracy, and reaches ${formats.percent(0)(config.claim.testFraction)} of its final ${pct(metrics[`${k}.finalTestAccuracy`])} at ${step(metrics[`${k}.stepToGeneralize`])} (${times(metrics[`${k}.delay`] ?? Number.NaN)} later), its weight norm going from ${(metrics[`${k}.initialWeightNorm`] ?? Number.NaN).toFixed(1)} to ${(metrics[`${k}.finalWeightNorm`] ?? Number.NaN).toFixed(1)}.`;
      })
      .join(" ");
  },
  deviations:
    "Omnigrok's MNIST configuration (1,000 digits, 784-200-200-10 ReLU MLP, PyTorch's default initialization scaled, AdamW lr 1e-3 and weight decay 0.01, batch 200, 100k steps, MSE on one-hot labels), except that biases start at zero (PyTorch draws them like the weights, then scales them too) and the squared error is half the sum over the ten outputs rather than their mean (a constant factor that AdamW's normalized steps do not see, apart from its epsilon). The delays are read at 80 log-spaced steps, so each is known to about 12%.",
  notAtQuickScale:
    "Grokking takes tens of thousands of steps: in the quick preset's 1,500 the x8 net fits its 500 digits but weight decay has barely begun to shrink its weights, and its test accuracy is still at chance, so there is no late generalization to time (the test checks the curves and the delays' arithmetic). Omnigrok's configuration is the standard preset.",
};
