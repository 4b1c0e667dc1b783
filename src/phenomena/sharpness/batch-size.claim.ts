import type { Claim, Verdict } from "../experiment.js";
import { check, difference, judge, ratio } from "../verdict-kit.js";
import type { BatchSizeConfig } from "./batch-size.schema.js";

export const batchSizeClaim: Claim<BatchSizeConfig> = {
  statement:
    "Large-batch training converges to sharper minima than small-batch training, closer to the initialization, and generalizes no better (usually worse).",
  citation: "Keskar, Mudigere, Nocedal, Smelyanskiy & Tang 2017, On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima (ICLR); Hochreiter & Schmidhuber 1997, Flat Minima",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const sharp = ratio(metrics["large.sharpness"], metrics["small.sharpness"]);
    const subspace = ratio(metrics["large.subspaceSharpness"], metrics["small.subspaceSharpness"]);
    const eig = ratio(metrics["large.topEigenvalue"], metrics["small.topEigenvalue"]);
    const checks = [
      check("sharpness LB / SB", sharp, { atLeast: c.sharpnessRatio }),
      check("distance from init SB / LB", ratio(metrics["small.distance"], metrics["large.distance"]), { atLeast: c.distanceRatio }),
      check("test accuracy SB - LB", difference(metrics["small.testAccuracy"], metrics["large.testAccuracy"]), { atLeast: 0 }, { because: "no gap size required, a 2k test set cannot resolve Keskar's 0.2 pp" }),
    ];
    return judge(checks, {
      threshold: c.sharpnessRatio,
      reported: [
        `top Hessian eigenvalue LB / SB ${eig === undefined ? "n/a" : eig.toFixed(2)} (reported, not judged)`,
        ...(subspace === undefined ? [] : [`${config.subspaceDimension}-dimensional random-subspace sharpness LB / SB ${subspace.toFixed(2)} (reported, not judged)`]),
      ],
    });
  },
  interpret(metrics, config) {
    const f = (k: string, d = 3) => (metrics[k] === undefined ? "n/a" : metrics[k]!.toFixed(d));
    return (
      `With batches of ${config.smallBatch} the net ends at epsilon-sharpness ${f("small.sharpness")} (top Hessian eigenvalue ${f("small.topEigenvalue", 1)}); with batches of ${metrics["large.batchSize"] ?? "-"} at ${f("large.sharpness")} (${f("large.topEigenvalue", 1)}). ` +
      `The small-batch solution travelled ${f("small.distance", 1)} from the shared initialization against ${f("large.distance", 1)}, and tests at ${pct(metrics["small.testAccuracy"])} against ${pct(metrics["large.testAccuracy"])}. ` +
      "Sharpness is measured on the raw parameters, which a rescaling can change without changing the function (Dinh et al. 2017)."
    );
  },
  paperFigures: [
    { label: "small batch: test accuracy", metric: "small.testAccuracy", paper: 0.9803, unit: "percent", source: "Keskar et al. 2017, Table 2 (F1)", note: "F1 is 5 x 512 with batch norm, batch 256 vs 10% of 60k" },
    { label: "large batch: test accuracy", metric: "large.testAccuracy", paper: 0.9781, unit: "percent", source: "Keskar et al. 2017, Table 2 (F1)" },
    { label: "small batch: epsilon-sharpness (full space, eps 1e-3)", metric: "small.sharpness", paper: 1.23, source: "Keskar et al. 2017, Table 3 (F1)" },
    { label: "large batch: epsilon-sharpness (full space, eps 1e-3)", metric: "large.sharpness", paper: 205.14, source: "Keskar et al. 2017, Table 3 (F1)" },
  ],
  deviations:
    "A 784-128-128-10 MLP on 8k MNIST digits instead of Keskar's F1 on full MNIST; the sharpness maximum by 20 projected sign-ascent steps from the centre and from the corner along the top Hessian eigenvector instead of 10 L-BFGS-B iterations; both regimes start from the same initialization and use Adam at lr 1e-3 without per-batch tuning (Hoffer et al. 2017 close much of the gap by tuning).",
};

function pct(v: number | undefined): string {
  return v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`;
}
