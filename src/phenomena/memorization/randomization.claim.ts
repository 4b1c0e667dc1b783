import type { Claim, Verdict } from "../experiment.js";
import { check, difference, judge, type Check } from "../verdict-kit.js";
import type { RandomizationConfig } from "./randomization.schema.js";

export const corruptionName = (p: number) => `corrupt(${p})`;

/** Every trained condition, true labels first, in the order the config lists them. */
export function conditionNames(config: RandomizationConfig): string[] {
  return [...config.conditions, ...config.corruption.map(corruptionName)];
}

export const randomizationClaim: Claim<RandomizationConfig> = {
  statement:
    "A network that generalizes on real data also fits random labels, shuffled pixels and pure noise perfectly, and not much more slowly: capacity alone cannot explain why it generalizes.",
  citation: "Zhang, Bengio, Hardt, Recht & Vinyals 2017, Understanding deep learning requires rethinking generalization (ICLR); Arpit et al. 2017, A closer look at memorization in deep networks (ICML)",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const m = (key: string) => metrics[key];
    const missing = { missing: "not reached" };
    const checks: Check[] = conditionNames(config).map((name) => check(`${name} train accuracy`, m(`${name}.trainAccuracy`), { atLeast: c.trainAccuracy }, missing));
    if (config.conditions.includes("random-labels")) {
      checks.push(check("random-labels test accuracy", m("random-labels.testAccuracy"), { within: [c.randomTestLow, c.randomTestHigh] }, missing));
      if (config.conditions.includes("true-labels")) {
        const slow = m("random-labels.epochsToFit");
        const fast = m("true-labels.epochsToFit");
        checks.push(check("epochs to fit, random / true labels", slow !== undefined && fast !== undefined ? slow / fast : undefined, { atMost: c.slowdown }, missing));
      }
    }
    if (config.conditions.includes("shuffled-pixels") && config.conditions.includes("true-labels")) {
      const gap = difference(m("shuffled-pixels.testAccuracy"), m("true-labels.testAccuracy"));
      checks.push(check("|test accuracy shuffled pixels - true labels|", gap === undefined ? undefined : Math.abs(gap), { atMost: c.shuffledGap }, missing));
    }
    if (config.corruption.length > 0 && config.conditions.includes("true-labels") && config.conditions.includes("random-labels")) {
      const levels = [0, ...[...config.corruption].sort((a, b) => a - b), 1];
      const accs = levels.map((p) => m(`${p === 0 ? "true-labels" : p === 1 ? "random-labels" : corruptionName(p)}.testAccuracy`));
      // strictly falling <=> the largest step is below zero (undefined when a level was not measured)
      let worstStep: number | undefined = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < accs.length; i++) {
        const [before, after] = [accs[i - 1], accs[i]];
        worstStep = before === undefined || after === undefined || worstStep === undefined ? undefined : Math.max(worstStep, after - before);
      }
      checks.push(check("test accuracy strictly falls as label corruption grows (largest step)", worstStep, { below: 0 }, missing));
    }
    if (config.corruption.includes(0.4)) {
      const drop = difference(m(`${corruptionName(0.4)}.peakTestAccuracy`), m(`${corruptionName(0.4)}.testAccuracy`));
      checks.push(check("p = 0.4: early test-accuracy peak minus final", drop, { atLeast: c.earlyPeak }, missing));
    }
    const primary = checks.find((k) => k.label === "random-labels train accuracy") ?? checks[0]!;
    return judge(checks, { primary, threshold: c.trainAccuracy });
  },
  interpret(metrics) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    const epochs = (k: string) => (metrics[`${k}.epochsToFit`] === undefined ? "not within the budget" : `in ${metrics[`${k}.epochsToFit`]} epochs`);
    return (
      `The same network fits the real labels ${epochs("true-labels")} (test accuracy ${pct(metrics["true-labels.testAccuracy"])}) and labels drawn at random ${epochs("random-labels")} (test ${pct(metrics["random-labels.testAccuracy"])}, chance is 10%). ` +
      "It has the capacity to memorize anything, so capacity cannot be what makes it generalize on real data: the explanation must involve the data and the training procedure."
    );
  },
  deviations: "An MLP on 2,000 MNIST digits instead of CNNs on CIFAR-10 and ImageNet; training stops at 99% training accuracy; label corruption changes exactly p of the labels (Zhang et al.'s draw changes 0.9 p).",
};
