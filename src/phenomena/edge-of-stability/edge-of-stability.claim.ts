import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import { stepsFor, type EdgeOfStabilityConfig } from "./edge-of-stability.schema.js";
import { etaKey } from "./trace-summary.js";

const times = (v: number) => `${v.toFixed(3)} x 2/eta`;
const num = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits));

export const edgeOfStabilityClaim: Claim<EdgeOfStabilityConfig> = {
  statement:
    "Under full-batch gradient descent with step size eta, the sharpness — the top eigenvalue of the training loss's Hessian — rises during training until it reaches 2/eta, the value at which gradient descent on a quadratic would diverge, and then hovers at that edge instead of crossing it, while the loss keeps falling over long horizons, though not monotonically.",
  citation: "Cohen, Kaur, Li, Kolter & Talwalkar 2021, Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability (ICLR)",
  verdict(metrics, config) {
    const c = config.claim;
    const format = { format: times, formatBound: times };
    const final = `the final ${Math.round(c.finalFraction * 100)}% of training`;
    const checks = config.etas.flatMap((eta) => {
      const k = etaKey(eta);
      return [
        check(`eta ${eta}: largest sharpness (2/eta = ${2 / eta}; from ${num(metrics[`${k}.initialSharpness`])} at the start)`, metrics[`${k}.maxRatio`], { atLeast: c.minReach }, format),
        check(`eta ${eta}: smallest sharpness over ${final}`, metrics[`${k}.finalMinRatio`], { atLeast: c.band[0] }, format),
        check(`eta ${eta}: largest sharpness over ${final}`, metrics[`${k}.finalMaxRatio`], { atMost: c.band[1] }, format),
      ];
    });
    const reported = [
      ...config.smallEtas.map((eta) => `small step eta ${eta} (${stepsFor(config, eta)} steps): the sharpness reaches ${num(metrics[`${etaKey(eta)}.maxRatio`], 3)} x 2/eta at most (below the edge when < 1)`),
      ...config.etas.map((eta) => `eta ${eta}: over ${final} the loss falls to ${num(metrics[`${etaKey(eta)}.finalPartLossRatio`], 3)} of its value, rising on ${formats.percent(0)(metrics[`${etaKey(eta)}.finalPartRisingSteps`] ?? Number.NaN)} of the steps`),
    ];
    return judge(checks, { threshold: c.minReach, reported });
  },
  interpret(metrics, config) {
    const parts = config.etas.map((eta) => {
      const k = etaKey(eta);
      return `at eta ${eta} the sharpness starts at ${num(metrics[`${k}.initialSharpness`])}, reaches 0.9 x 2/eta = ${num(1.8 / eta)} at step ${num(metrics[`${k}.stepAtEdge`], 0)} and stays between ${num(metrics[`${k}.finalMinRatio`], 2)} and ${num(metrics[`${k}.finalMaxRatio`], 2)} x 2/eta over the final part, while the loss falls from ${num(metrics[`${k}.initialLoss`], 3)} to ${num(metrics[`${k}.finalLoss`], 4)}`;
    });
    const small = config.smallEtas.map((eta) => `with eta ${eta} (2/eta = ${2 / eta}) the sharpness reaches ${num(metrics[`${etaKey(eta)}.maxRatio`], 2)} x 2/eta`);
    return `${parts.join("; ")}.${small.length ? ` ${small.join("; ")}.` : ""}`.replace(/^at/, "At");
  },
  deviations:
    "Cohen et al. trained on 5,000 CIFAR-10 images (and other tasks) until the loss fell below a threshold, and measured the sharpness by Lanczos; we train docs/criteria.md §8.8's 784-100-10 tanh MLP on 1,000 MNIST digits for a fixed gradient-flow time (eta x steps = 200; 400 at the paper preset), with exact Hessian-vector products and power iteration warm-started from the last eigenvector (at most 20 products per measurement). Biases start at zero where PyTorch draws them like the weights.",
  notAtQuickScale:
    "Progressive sharpening takes thousands of full-batch steps: on 250 digits with 400 steps at eta 0.04 the sharpness rises from 18 to 27, half of 2/eta = 50 (seed 1), so the quick preset shows the rise and the tracing, not the edge; the standard preset reaches it (the README).",
};
