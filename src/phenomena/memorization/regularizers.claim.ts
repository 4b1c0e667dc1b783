import { check, formats, judge, type Check } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import { REGULARIZERS, type RegularizersConfig } from "./regularizers.schema.js";

export type Regularizer = (typeof REGULARIZERS)[number];
export const LABELINGS = ["true", "random"] as const;
type Labeling = (typeof LABELINGS)[number];

export const cell = (labels: Labeling, reg: Regularizer) => `${labels}.${reg}`;

export const regularizersClaim: Claim<RegularizersConfig> = {
  statement:
    "Explicit regularization is neither necessary nor sufficient: without weight decay or dropout the network generalizes nearly as well, and with them it still memorizes random labels.",
  citation: "Zhang, Bengio, Hardt, Recht & Vinyals 2017, Understanding deep learning requires rethinking generalization (ICLR), Tables 1-2",
  verdict(metrics, config) {
    const c = config.claim;
    const checks: Check[] = [];
    const four = { format: formats.fixed(4) };
    const regularized = config.regularizers.filter((r) => r !== "none");
    const none = metrics[`${cell("true", "none")}.testAccuracy`];
    const best = Math.max(...regularized.map((r) => metrics[`${cell("true", r)}.testAccuracy`] ?? Number.NEGATIVE_INFINITY));
    if (config.regularizers.includes("none") && regularized.length > 0) {
      const gap = none !== undefined && Number.isFinite(best) ? best - none : undefined;
      checks.push(check("not necessary: best regularized minus unregularized test accuracy (true labels)", gap, { atMost: c.necessaryGap }, four));
    }
    for (const r of regularized) checks.push(check(`not sufficient: random-label training accuracy with ${r}`, metrics[`${cell("random", r)}.trainAccuracy`], { atLeast: c.randomFit }, four));
    return judge(checks, { threshold: c.necessaryGap, reported: checks.length === 0 ? ["needs 'none' and at least one regularizer"] : [] });
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    const rows = config.regularizers.map(
      (r) =>
        `${r}: true labels ${pct(metrics[`${cell("true", r)}.testAccuracy`])} test; random labels ${pct(metrics[`${cell("random", r)}.trainAccuracy`])} train` +
        (metrics[`${cell("random", r)}.epochsToFit`] !== undefined ? ` (fitted in ${metrics[`${cell("random", r)}.epochsToFit`]} epochs)` : " (not fitted)"),
    );
    const verdict = regularizersClaim.verdict(metrics, config);
    const reading = verdict.reproduced
      ? "Regularizers change test accuracy by a few points at most and do not prevent the memorization of random labels: the capacity to memorize is not what they take away."
      : `Here the table departs from Zhang et al.'s: ${verdict.note}.`;
    return `${rows.join("; ")}. ${reading}`;
  },
  deviations:
    "Zhang et al. used CIFAR-10 and ImageNet with Inception, AlexNet and MLPs, and data augmentation as a third regularizer; here MNIST (2,000 training digits), a 784-512-10 MLP, weight decay and dropout only.",
};
