import { check, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { MinimumDistortionConfig } from "./minimum-distortion.schema.js";

export const minimumDistortionClaim: Claim<MinimumDistortionConfig> = {
  statement: "Every digit a network classifies correctly has an adversarial example a tiny distance away: the smallest perturbation that changes the answer is far smaller than the noise the network shrugs off.",
  citation: "Szegedy et al. 2014, Intriguing properties of neural networks (ICLR), section 4.3 and Table 1; Moosavi-Dezfooli et al. 2016, DeepFool (CVPR)",
  verdict(metrics, config) {
    const checks = [
      check("penalty attack: success", metrics["lbfgs.success"], { atLeast: config.claim.success }),
      check("penalty attack: mean RMS distortion", metrics["lbfgs.meanRms"], { atMost: config.claim.rms }),
    ];
    return judge(checks, {
      primary: checks[1]!,
      reported: [`DeepFool (L2): success ${fmt(metrics["deepfool.success"])}, mean RMS ${fmt(metrics["deepfool.meanRms"])}`, `Gaussian noise of the penalty attack's RMS: error ${fmt(metrics["noise.error"])} (clean ${fmt(metrics.cleanError)})`],
    });
  },
  interpret(metrics) {
    return (
      `For ${fmt(metrics["lbfgs.success"], 1, true)} of the correctly classified test digits the penalty attack finds an input classified as another digit at a mean RMS distance of ${fmt(metrics["lbfgs.meanRms"])} (pixels in [0, 1]; Szegedy et al.: 0.058). ` +
      `Gaussian noise of that same RMS misclassifies ${fmt(metrics["noise.error"], 1, true)} of them. DeepFool, which steps to the nearest linearized boundary, needs ${fmt(metrics["deepfool.meanRms"])}.`
    );
  },
  paperFigures: [
    { label: "the attacked net's clean test error", metric: "cleanError", paper: 0.0164, unit: "percent", source: "Szegedy et al. 2014, Table 1 (FC100-100-10, all 60k digits)" },
    { label: "mean RMS distortion of the minimum-distortion examples", metric: "lbfgs.meanRms", paper: 0.058, source: "Szegedy et al. 2014, Table 1 (FC100-100-10)" },
  ],
  deviations: "The inner problem is solved by projected Adam steps rather than L-BFGS-B, with a bisection on c per example; the target is the most likely wrong class; 200 test digits of an 8k-digit training run.",
};

function fmt(v: number | undefined, digits = 3, percent = false): string {
  if (v === undefined) return "n/a";
  return percent ? `${(v * 100).toFixed(digits)}%` : v.toFixed(digits);
}
