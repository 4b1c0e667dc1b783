import type { Claim, Verdict } from "../experiment.js";
import { check, judge, ratio } from "../verdict-kit.js";
import type { UnitsVsDirectionsConfig } from "./units-vs-directions.schema.js";

export const unitsVsDirectionsClaim: Claim<UnitsVsDirectionsConfig> = {
  statement:
    "Single units of a hidden layer are no more meaningful than random directions in its space: the images that excite a random direction most share a label about as often as those of a unit.",
  citation: "Szegedy et al. 2014, Intriguing properties of neural networks (ICLR), section 3; contested by Bau et al. 2017, Network Dissection",
  verdict(metrics, config): Verdict {
    const units = metrics["purity.units"];
    const random = metrics["purity.random"];
    return judge([check(`top-${config.topK} label purity, random directions / units`, ratio(random, units), { atLeast: config.claim.ratio })], {
      reported: [
        `units ${fmt(units)}, random directions ${fmt(random)}`,
        `control, random directions in pixel space: ${fmt(metrics["purity.pixels"])}`,
        `units excluded as never active: ${metrics["units.dead"] ?? 0}`,
      ],
    });
  },
  interpret(metrics) {
    return (
      `The 16 test digits that excite a single hidden unit the most share their label ${pct(metrics["purity.units"])} of the time; for a random direction in the same layer, ${pct(metrics["purity.random"])}. ` +
      `Random directions in pixel space manage only ${pct(metrics["purity.pixels"])}: it is the layer's space, not the choice of axis, that carries meaning — so inspecting single units, as visualization tools do, is not privileged.`
    );
  },
  deviations:
    "Szegedy et al. showed image rows qualitatively on MNIST and ImageNet; the label-purity figure and the pixel-space control are docs/criteria.md's quantification. An MLP's hidden layer, not a convolutional one (Bau et al. found CNN units more interpretable than rotations).",
};

function fmt(v: number | undefined): string {
  return v === undefined ? "n/a" : v.toFixed(3);
}

function pct(v: number | undefined): string {
  return v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`;
}
