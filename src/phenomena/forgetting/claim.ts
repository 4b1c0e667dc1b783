import type { Claim, Verdict } from "../experiment.js";
import type { PermutedConfig } from "./schema.js";

interface Check {
  label: string;
  measured: number | undefined;
  threshold: string;
  pass: boolean;
}

export const permutedClaim: Claim<PermutedConfig> = {
  statement:
    "Trained on one task after another, a network forgets the earlier ones (catastrophic forgetting); anchoring the weights that mattered, weighted by their Fisher information (EWC), keeps the old task while learning the new.",
  citation: "McCloskey & Cohen 1989; Goodfellow et al. 2013, An empirical investigation of catastrophic forgetting; Kirkpatrick et al. 2017, Overcoming catastrophic forgetting in neural networks (PNAS)",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const m = (k: string) => metrics[k];
    const checks: Check[] = [];
    const has = (s: string) => config.strategies.includes(s as never);
    if (has("naive")) {
      const drop = m("naive.task1Drop");
      const bwt = m("naive.bwt");
      checks.push({ label: "sequential SGD: task-1 accuracy drop", measured: drop, threshold: `>= ${c.naiveDrop}`, pass: drop !== undefined && drop >= c.naiveDrop });
      checks.push({ label: "sequential SGD: BWT", measured: bwt, threshold: `<= ${c.naiveBwt}`, pass: bwt !== undefined && bwt <= c.naiveBwt });
    }
    if (has("ewc")) {
      const drop = m("ewc.task1Drop");
      checks.push({ label: "EWC: task-1 accuracy drop", measured: drop, threshold: `<= ${c.ewcDrop}`, pass: drop !== undefined && drop <= c.ewcDrop });
      if (has("naive")) {
        const a = m("ewc.acc");
        const b = m("naive.acc");
        const gain = a !== undefined && b !== undefined ? a - b : undefined;
        checks.push({ label: "ACC(EWC) - ACC(sequential SGD)", measured: gain, threshold: `>= ${c.ewcGain}`, pass: gain !== undefined && gain >= c.ewcGain });
      }
    }
    const primary = checks[0];
    return {
      reproduced: checks.length > 0 && checks.every((k) => k.pass),
      measured: primary?.measured ?? Number.NaN,
      threshold: c.naiveDrop,
      note: checks.map((k) => `${k.label} ${k.measured === undefined ? "not measured" : k.measured.toFixed(3)} (needs ${k.threshold}) ${k.pass ? "ok" : "FAIL"}`).join("; "),
    };
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    const parts = [
      `After learning task 1 to ${pct(metrics["naive.task1After"])}, plain SGD on ${config.tasks - 1} more permuted tasks leaves ${pct(metrics["naive.task1Final"])} on it (average over all tasks ${pct(metrics["naive.acc"])}, BWT ${(metrics["naive.bwt"] ?? Number.NaN).toFixed(3)}).`,
    ];
    if (metrics["ewc.acc"] !== undefined)
      parts.push(`EWC (lambda ${metrics["ewc.lambda"] ?? "-"}, chosen on held-out training digits) keeps ${pct(metrics["ewc.task1Final"])} on task 1 with average ${pct(metrics["ewc.acc"])}.`);
    for (const s of ["replay", "joint"]) if (metrics[`${s}.acc`] !== undefined) parts.push(`${s}: average ${pct(metrics[`${s}.acc`])}.`);
    parts.push("How much is forgotten depends on width, learning rate and epochs per task; see the README.");
    return parts.join(" ");
  },
  deviations:
    "The GEM 784-100-100-10 MLP on 8k digits under 5 permutations, 5 epochs per task of plain SGD (lr 0.05, batch 64); EWC's Fisher from 500 per-example gradients with labels sampled from the model; lambda chosen on held-out training digits.",
};
