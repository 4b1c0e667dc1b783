/**
 * What each section of an inspection found, in words computed from its metrics: what the number means, and how the
 * model compares with quirklab's baseline network on the same examples when one was measured.
 */
import type { Finding } from "../experiment.js";
import { BUILT_IN_DATASETS } from "../../data/dataset.js";
import type { InspectConfig } from "./inspect.schema.js";
import { epsKey, pruneKey } from "./measure.js";

const pct = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? "n/a" : `${(v * 100).toFixed(digits)}%`);
const num = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? "n/a" : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits));

/** The epsilon of the grid closest to `target`, which the words quote. */
function nearest(epsilons: number[], target: number): number {
  return epsilons.reduce((best, e) => (Math.abs(e - target) < Math.abs(best - target) ? e : best), epsilons[0]!);
}

export function inspectFindings(result: { metrics: Record<string, number>; details?: Record<string, unknown> }, config: InspectConfig): Finding[] {
  const m = result.metrics;
  const kind = result.details?.referenceKind as string | undefined;
  const hasReference = kind !== undefined && m["reference.accuracy"] !== undefined;
  const ref = (key: string) => m[`reference.${key}`];
  const baseline = `quirklab's baseline ${kind === "cnn" ? "CNN" : "MLP"} (trained once on ${config.data.dataset}'s training set)`;
  const compare = (text: string) => (hasReference ? ` On the same examples ${baseline} ${text}` : "");
  const eps = nearest(config.robustness.epsilons, 0.1);
  const pruneAt = nearest(config.pruning.fractions, 0.9);
  const n = m.examples;

  const findings: Finding[] = [
    {
      heading: "Accuracy",
      text:
        `The model classifies ${pct(m.accuracy, 2)} of ${n} ${config.data.dataset} ${config.data.split} examples correctly (mean cross-entropy ${num(m.loss)}); the confusion matrix shows which classes it mistakes for which.` +
        (typeof result.details?.conversion === "string" ? ` The examples were converted to the model's input shape first (${result.details.conversion}), and every figure is measured on the converted examples.` : "") +
        compare(`classifies ${pct(ref("accuracy"), 2)} correctly (cross-entropy ${num(ref("loss"))}).`),
    },
    {
      heading: "Calibration",
      text:
        `Its expected calibration error is ${pct(m["calibration.ece"], 2)}: binned by confidence, its stated confidence (mean ${pct(m["calibration.confidence"])}) and its accuracy differ by that much on average, ` +
        ((m["calibration.confidence"] ?? 0) > (m.accuracy ?? 0)
          ? `overconfident overall (mean confidence above accuracy), as Guo et al. 2017 found modern deep networks to be.`
          : `underconfident overall (mean confidence below accuracy): the opposite of the overconfidence Guo et al. 2017 found in modern deep networks.`) +
        compare(`has an ECE of ${pct(ref("calibration.ece"), 2)} (mean confidence ${pct(ref("calibration.confidence"))}).`),
    },
    {
      heading: "Robustness",
      text:
        `FGSM at epsilon ${eps} raises its error from ${pct(m[epsKey("fgsm", 0)])} to ${pct(m[epsKey("fgsm", eps)])}, PGD to ${pct(m[epsKey("pgd", eps)])}, while random signs of the same size give ${pct(m[epsKey("noise", eps)])}: the gradient finds directions that noise does not. ` +
        `DeepFool flips ${pct(m["deepfool.success"], 0)} of the correctly classified examples it attacks with a median L2 perturbation of ${num(m["deepfool.medianL2"])} (${pct(m["deepfool.medianRelative"])} of the image's own norm).` +
        compare(`goes from ${pct(ref(epsKey("fgsm", 0)))} to ${pct(ref(epsKey("fgsm", eps)))} under FGSM and ${pct(ref(epsKey("pgd", eps)))} under PGD at the same epsilon; its DeepFool median is ${num(ref("deepfool.medianL2"))}.`),
    },
    {
      heading: "Curvature",
      text:
        `On the mean loss of ${Math.min(config.curvature.examples, n ?? Infinity)} examples the top Hessian eigenvalue is ${num(m["curvature.eigenvalue1"])}, the trace ${num(m["curvature.trace"])} (± ${num(m["curvature.traceStandardError"], 2)}), Keskar et al.'s sharpness ${num(m["curvature.keskar"])} (box ${config.curvature.keskarEpsilon}), and along a filter-normalized random direction the loss rises by ${num(m["curvature.sliceRise"])} at distance ${config.curvature.radius}: larger is sharper. ` +
        `Sharpness is not invariant to reparametrization (Dinh et al. 2017), so compare networks of the same architecture, or the filter-normalized slice.` +
        compare(`has top eigenvalue ${num(ref("curvature.eigenvalue1"))}, trace ${num(ref("curvature.trace"))}, Keskar sharpness ${num(ref("curvature.keskar"))} and a slice rise of ${num(ref("curvature.sliceRise"))}.`),
    },
    {
      heading: "What it looks at",
      text: Number.isFinite(m["units.purity"] ?? Number.NaN)
        ? `The top ${config.units.topK} examples of a unit of its last hidden layer share one label ${pct(m["units.purity"], 0)} of the time on average, those of a random direction in the same layer ${pct(m["units.purityRandom"], 0)} (${m["units.dead"]} of ${m["units.count"]} units never active): Szegedy et al. 2014 argued units are no more meaningful than random directions. The saliency maps below show which pixels move the predicted logit.` +
          compare(`gives ${pct(ref("units.purity"), 0)} for units and ${pct(ref("units.purityRandom"), 0)} for random directions.`)
        : "The model has no hidden activation layer, so there are no units to compare with random directions; the saliency maps below show which pixels move the predicted logit.",
    },
    {
      heading: "How much of it is needed",
      text:
        `Zeroing the smallest ${pct(m["pruning.prunableFraction"], 0)} of its kernel weights (global magnitude, no retraining) keeps accuracy within ${num(config.pruning.tolerance * 100, 2)} percentage points of the unpruned model's; at ${pct(pruneAt, 0)} pruned it classifies ${pct(m[pruneKey(pruneAt)])} correctly. Han et al. 2015 prune most of a network's weights with retraining; without it, this is the floor.` +
        compare(`keeps accuracy up to ${pct(ref("pruning.prunableFraction"), 0)} pruned and reaches ${pct(ref(pruneKey(pruneAt)))} at ${pct(pruneAt, 0)}.`),
    },
  ];
  if (!hasReference) {
    findings.push({
      heading: "Comparison",
      text:
        config.reference === "none"
          ? "No comparison was asked for (reference none)."
          : (BUILT_IN_DATASETS as readonly string[]).includes(config.data.dataset)
            ? "No comparison: where this ran, quirklab's baseline network could not be trained (the command line trains it once and reuses it)."
            : `No comparison on ${config.data.dataset}: quirklab compares with its baseline networks on the built-in datasets (${BUILT_IN_DATASETS.join(", ")}) only.`,
    });
  }
  return findings;
}
