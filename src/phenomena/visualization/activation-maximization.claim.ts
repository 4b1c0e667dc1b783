import { check, difference, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { ActivationMaximizationConfig } from "./activation-maximization.schema.js";

export const SETTINGS = ["plain", "regularized"] as const;

export const activationMaximizationClaim: Claim<ActivationMaximizationConfig> = {
  statement: "An image made to maximize a class's output convinces the model but not another model — unless it is regularized toward natural images, as Yosinski's toolbox does.",
  citation: "Yosinski, Clune, Nguyen, Fuchs & Lipson 2015, Understanding Neural Networks Through Deep Visualization (ICML workshop); Simonyan, Vedaldi & Zisserman 2014",
  verdict(metrics, config) {
    const c = config.claim;
    const gain = check(
      `judge agreement gain, regularized - plain (plain ${f(metrics["plain.agreement"])}, regularized ${f(metrics["regularized.agreement"])})`,
      difference(metrics["regularized.agreement"], metrics["plain.agreement"]),
      { atLeast: c.agreementGain },
    );
    const own = SETTINGS.map((s) => check(`own confidence, ${s}`, metrics[`${s}.ownConfidence`], { atLeast: c.ownConfidence }));
    return judge([...own, gain], {
      primary: gain,
      reported: [
        `CNN judge (control, reported): agreement plain ${f(metrics["plain.controlAgreement"])}, regularized ${f(metrics["regularized.controlAgreement"])}`,
        `high-frequency energy (mean squared Laplacian): plain ${f(metrics["plain.laplacian"], 4)}, regularized ${f(metrics["regularized.laplacian"], 4)}`,
      ],
    });
  },
  interpret(metrics) {
    return (
      `Ascending each class logit from the mean digit, the model ends ${pct(metrics["plain.ownConfidence"])} sure of the unregularized images, and an independently trained model agrees on ${pct(metrics["plain.agreement"])} of the ten classes. ` +
      `With decay, blur, jitter and clipping, the model is ${pct(metrics["regularized.ownConfidence"])} sure and the judge agrees on ${pct(metrics["regularized.agreement"])}: what a visualization shows depends as much on its regularizers as on the network.`
    );
  },
  deviations: "Yosinski et al. visualized ImageNet convnets (Caffe pixel scale); here MNIST MLPs with pixels in [0, 1], so the regularizer strengths are docs/criteria.md's rescaled values, and 'agreement' is the argmax of a second MLP.",
  notAtQuickScale:
    "A 2,000-digit, 5-epoch MLP and 100 ascent steps: the plain images already convince the independent judge network 90% of the time, leaving less than the required 0.2 gain to the regularized ones, and 100 steps bring the regularized images' own confidence to 0.986, short of 0.99 (seed 1).",
};

function f(v: number | undefined, digits = 3): string {
  return v === undefined ? "n/a" : v.toFixed(digits);
}

function pct(v: number | undefined): string {
  return v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`;
}
