import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { SamConfig } from "./sam.schema.js";

export const samClaim: Claim<SamConfig> = {
  statement: "Training that seeks flat regions (SAM) ends at a flatter minimum than the same optimizer without it, and generalizes at least as well.",
  citation: "Foret, Kleiner, Mobahi & Neyshabur 2021, Sharpness-Aware Minimization for Efficiently Improving Generalization (ICLR); Hochreiter & Schmidhuber 1997, Flat Minima",
  verdict(metrics) {
    const [baseEig, samEig] = [metrics["base.topEigenvalue"], metrics["sam.topEigenvalue"]];
    const four = { format: formats.fixed(4), formatBound: formats.fixed(4) };
    // each bound is the base optimizer's own figure
    return judge(
      [
        check("top Hessian eigenvalue, SAM vs base", samEig, { below: baseEig ?? Number.NaN }, four),
        check("Keskar sharpness, SAM vs base", metrics["sam.sharpness"], { below: metrics["base.sharpness"] ?? Number.NaN }, four),
        check("test accuracy, SAM vs base", metrics["sam.testAccuracy"], { atLeast: metrics["base.testAccuracy"] ?? Number.NaN }, four),
      ],
      { measured: baseEig! / samEig!, threshold: 1, reported: ["measured = base / SAM top eigenvalue"] },
    );
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`);
    return (
      `With rho = ${config.rho}, SAM ends at a top Hessian eigenvalue of ${(metrics["sam.topEigenvalue"] ?? Number.NaN).toFixed(1)} against ${(metrics["base.topEigenvalue"] ?? Number.NaN).toFixed(1)} without it, ` +
      `Keskar sharpness ${(metrics["sam.sharpness"] ?? Number.NaN).toFixed(3)} against ${(metrics["base.sharpness"] ?? Number.NaN).toFixed(3)}, and tests at ${pct(metrics["sam.testAccuracy"])} against ${pct(metrics["base.testAccuracy"])} (training loss ${(metrics["sam.trainLoss"] ?? Number.NaN).toFixed(4)} vs ${(metrics["base.trainLoss"] ?? Number.NaN).toFixed(4)}).`
    );
  },
  deviations:
    "Foret et al. trained ResNets and WideResNets on CIFAR and ImageNet (with m-sharpness over sub-batches); here a 784-128-128-10 MLP on 8k MNIST digits, the perturbation computed on the whole minibatch, and no dropout in the perturbed pass.",
};
