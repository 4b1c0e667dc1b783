import type { Claim, Verdict } from "../experiment.js";
import type { RandomizationConfig } from "./schema.js";

export const corruptionName = (p: number) => `corrupt(${p})`;

interface Check {
  label: string;
  measured: number | undefined;
  threshold: string;
  pass: boolean;
}

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
    const checks: Check[] = [];
    for (const name of conditionNames(config)) {
      const v = m(`${name}.trainAccuracy`);
      checks.push({ label: `${name} train accuracy`, measured: v, threshold: `>= ${c.trainAccuracy}`, pass: v !== undefined && v >= c.trainAccuracy });
    }
    if (config.conditions.includes("random-labels")) {
      const v = m("random-labels.testAccuracy");
      checks.push({ label: "random-labels test accuracy", measured: v, threshold: `in [${c.randomTestLow}, ${c.randomTestHigh}]`, pass: v !== undefined && v >= c.randomTestLow && v <= c.randomTestHigh });
      if (config.conditions.includes("true-labels")) {
        const slow = m("random-labels.epochsToFit");
        const fast = m("true-labels.epochsToFit");
        const ratio = slow !== undefined && fast !== undefined ? slow / fast : undefined;
        checks.push({ label: "epochs to fit, random / true labels", measured: ratio, threshold: `<= ${c.slowdown}`, pass: ratio !== undefined && ratio <= c.slowdown });
      }
    }
    if (config.conditions.includes("shuffled-pixels") && config.conditions.includes("true-labels")) {
      const a = m("shuffled-pixels.testAccuracy");
      const b = m("true-labels.testAccuracy");
      const gap = a !== undefined && b !== undefined ? Math.abs(a - b) : undefined;
      checks.push({ label: "|test accuracy shuffled pixels - true labels|", measured: gap, threshold: `<= ${c.shuffledGap}`, pass: gap !== undefined && gap <= c.shuffledGap });
    }
    if (config.corruption.length > 0 && config.conditions.includes("true-labels") && config.conditions.includes("random-labels")) {
      const levels = [0, ...[...config.corruption].sort((a, b) => a - b), 1];
      const names = levels.map((p) => (p === 0 ? "true-labels" : p === 1 ? "random-labels" : corruptionName(p)));
      const accs = names.map((n) => m(`${n}.testAccuracy`));
      const decreasing = accs.every((v, i) => v !== undefined && (i === 0 || v < accs[i - 1]!));
      let worstStep: number | undefined = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < accs.length; i++) {
        const [before, after] = [accs[i - 1], accs[i]];
        worstStep = before === undefined || after === undefined || worstStep === undefined ? undefined : Math.max(worstStep, after - before);
      }
      checks.push({ label: "test accuracy strictly falls as label corruption grows (largest step)", measured: worstStep, threshold: "< 0", pass: decreasing });
    }
    if (config.corruption.includes(0.4)) {
      const peak = m(`${corruptionName(0.4)}.peakTestAccuracy`);
      const last = m(`${corruptionName(0.4)}.testAccuracy`);
      const drop = peak !== undefined && last !== undefined ? peak - last : undefined;
      checks.push({ label: "p = 0.4: early test-accuracy peak minus final", measured: drop, threshold: `>= ${c.earlyPeak}`, pass: drop !== undefined && drop >= c.earlyPeak });
    }
    const primary = checks.find((k) => k.label === "random-labels train accuracy") ?? checks[0]!;
    return {
      reproduced: checks.every((k) => k.pass),
      measured: primary.measured ?? Number.NaN,
      threshold: c.trainAccuracy,
      note: checks.map((k) => `${k.label} ${k.measured === undefined ? "not reached" : k.measured.toFixed(3)} (needs ${k.threshold}) ${k.pass ? "ok" : "FAIL"}`).join("; "),
    };
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
