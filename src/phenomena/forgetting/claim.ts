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
};
