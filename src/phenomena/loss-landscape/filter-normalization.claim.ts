import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { FilterNormalizationConfig } from "./filter-normalization.schema.js";

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && a > 0 && b > 0 ? Math.max(a / b, b / a) : undefined);

export const filterNormalizationClaim: Claim<FilterNormalizationConfig> = {
  statement: "Loss-landscape plots along raw random directions depend on the scale of the weights, which ReLU nets can change freely; filter-normalized directions give the same picture for the same function.",
  citation: "Li, Xu, Taylor, Studer & Goldstein 2018, Visualizing the Loss Landscape of Neural Nets (NeurIPS)",
  verdict(metrics, config) {
    const raw = ratio(metrics["raw.curvature.rescaled"], metrics["raw.curvature.original"]);
    const norm = ratio(metrics["filter.curvature.rescaled"], metrics["filter.curvature.original"]);
    const rawCheck = check("raw-direction curvature change (x)", raw, { atLeast: config.claim.rawChange }, { format: formats.fixed(1), formatBound: String });
    return judge(
      [
        check("prediction agreement between the copies", metrics.predictionAgreement, { atLeast: 1 }, { format: formats.fixed(4), formatBound: String }),
        rawCheck,
        check("filter-normalized curvature change", norm === undefined ? undefined : norm - 1, { atMost: config.claim.normalizedTolerance }, { format: formats.percent(2), formatBound: formats.percent(0) }),
      ],
      { primary: rawCheck },
    );
  },
  interpret(metrics, config) {
    const f = (k: string) => (metrics[k] === undefined ? "n/a" : metrics[k]!.toPrecision(3));
    return (
      `The network and its copy rescaled by ${config.scale} make the same predictions. Along a raw random direction${config.directions > 1 ? ` (mean over ${config.directions} directions)` : ""} their loss curvature is ${f("raw.curvature.original")} and ${f("raw.curvature.rescaled")}; ` +
      `along the filter-normalized version of the same direction it is ${f("filter.curvature.original")} and ${f("filter.curvature.rescaled")}. Only the normalized slice describes the function rather than its parametrization.`
    );
  },
  deviations: "Li et al. studied VGG and ResNets on CIFAR-10 (with batch-norm and weight-decay scale effects); here one MLP rescaled by hand isolates the same invariance.",
};
