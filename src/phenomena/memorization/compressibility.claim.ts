import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { CompressibilityConfig } from "./compressibility.schema.js";

export const compressibilityClaim: Claim<CompressibilityConfig> = {
  statement:
    "A network that memorized random labels is less compressible than one that learned real structure, though both fit their training sets: it loses more of what it fitted when pruned, and a small student distils less of it.",
  citation: "Morcos, Barrett, Rabinowitz & Botvinick 2018, On the importance of single directions for generalization (ICLR); Zhang et al. 2017; Hinton, Vinyals & Dean 2015 for distillation",
  verdict(metrics, config) {
    const at = config.claim.at;
    const g = metrics[`generalizer.retained@${at}`];
    const fg = metrics["generalizer.studentFidelity"];
    const four = { format: formats.fixed(4), formatBound: formats.fixed(4) };
    // each bound is the generalizer's own figure: the memorizer must come out below it
    return judge([
      check(`pruned to ${at}: retained above-chance training accuracy, memorizer vs generalizer`, metrics[`memorizer.retained@${at}`], { below: g ?? Number.NaN }, four),
      check("student's agreement with its teacher on the training set, memorizer vs generalizer", metrics["memorizer.studentFidelity"], { below: fg ?? Number.NaN }, four),
    ]);
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    const at = config.claim.at;
    return (
      `Both teachers fit their training sets (${pct(metrics["generalizer.trainAccuracy"])} and ${pct(metrics["memorizer.trainAccuracy"])}). ` +
      `With ${at * 100}% of the weights pruned, the generalizer keeps ${pct(metrics[`generalizer.retained@${at}`])} of its above-chance training accuracy, the memorizer ${pct(metrics[`memorizer.retained@${at}`])}. ` +
      `A ${config.student.kind === "mlp" ? config.student.hidden.join("-") : ""}-unit student reproduces the generalizer's training-set answers ${pct(metrics["generalizer.studentFidelity"])} of the time, the memorizer's ${pct(metrics["memorizer.studentFidelity"])}. ` +
      (compressibilityClaim.verdict(metrics, config).reproduced ? "Structure compresses; a lookup table of arbitrary labels does not." : "At this setting the memorizer compresses as well as the generalizer on at least one of the two measures.")
    );
  },
  deviations:
    "Morcos et al. ablated whole units (and used partially corrupted labels on CIFAR-10 and MNIST); here kernel weights are pruned by magnitude, the labels are fully random, and distillation is added as a second measure of compressibility.",
};
