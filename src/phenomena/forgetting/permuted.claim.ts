import type { Claim, Verdict } from "../experiment.js";
import { check, difference, judge, type Check } from "../verdict-kit.js";
import type { PermutedConfig } from "./permuted.schema.js";

export const permutedClaim: Claim<PermutedConfig> = {
  statement:
    "Trained on one task after another, a network forgets the earlier ones (catastrophic forgetting); anchoring the weights that mattered, weighted by their Fisher information (EWC), keeps the old task while learning the new.",
  citation: "McCloskey & Cohen 1989; Goodfellow et al. 2013, An empirical investigation of catastrophic forgetting; Kirkpatrick et al. 2017, Overcoming catastrophic forgetting in neural networks (PNAS)",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const m = (k: string) => metrics[k];
    const checks: Check[] = [];
    const has = (s: string) => config.strategies.includes(s as never);
    const missing = { missing: "not measured" };
    if (has("naive")) {
      checks.push(check("sequential SGD: task-1 accuracy drop", m("naive.task1Drop"), { atLeast: c.naiveDrop }, missing));
      checks.push(check("sequential SGD: BWT", m("naive.bwt"), { atMost: c.naiveBwt }, missing));
    }
    if (has("ewc")) {
      checks.push(check("EWC: task-1 accuracy drop", m("ewc.task1Drop"), { atMost: c.ewcDrop }, missing));
      if (has("naive")) checks.push(check("ACC(EWC) - ACC(sequential SGD)", difference(m("ewc.acc"), m("naive.acc")), { atLeast: c.ewcGain }, missing));
    }
    return judge(checks, { threshold: c.naiveDrop });
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    const parts = [
      `After learning task 1 to ${pct(metrics["naive.task1After"])}, plain SGD on ${config.tasks - 1} more permuted tasks leaves ${pct(metrics["naive.task1Final"])} on it (average over all tasks ${pct(metrics["naive.acc"])}, BWT ${(metrics["naive.bwt"] ?? Number.NaN).toFixed(3)}).`,
    ];
    if (metrics["ewc.acc"] !== undefined)
      parts.push(`EWC (lambda ${metrics["ewc.lambda"] !== undefined ? `${metrics["ewc.lambda"]}, chosen on held-out training digits` : `${config.ewc.lambdas[0]}, fixed by the preset`}) keeps ${pct(metrics["ewc.task1Final"])} on task 1 with average ${pct(metrics["ewc.acc"])}.`);
    for (const s of ["replay", "joint"]) if (metrics[`${s}.acc`] !== undefined) parts.push(`${s}: average ${pct(metrics[`${s}.acc`])}.`);
    parts.push("How much is forgotten depends on width, learning rate and epochs per task; see the README.");
    return parts.join(" ");
  },
  deviations:
    "The GEM 784-100-100-10 MLP on 8k digits under 5 permutations, 5 epochs per task of plain SGD (lr 0.05, batch 64); EWC's Fisher from 500 per-example gradients with labels sampled from the model; lambda chosen on held-out training digits.",
  notAtQuickScale:
    "Three tasks on 2,000 digits with a short schedule: sequential SGD loses only 12 points of task-1 accuracy (seed 1), too little forgetting for the criterion and too little for EWC to improve on. The standard preset does not reach the criterion either (sequential SGD forgets 19 points, EWC gains 4.3), nor does the paper preset at Kirkpatrick et al.'s lr 1e-3 (15 points, EWC gains 1.6).",
};
