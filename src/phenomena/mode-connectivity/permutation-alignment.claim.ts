import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import { alignKey, type PermutationAlignmentConfig } from "./permutation-alignment.schema.js";

export const permutationAlignmentClaim: Claim<PermutationAlignmentConfig> = {
  statement:
    "Much of the barrier between two independently trained networks is an artefact of the order of their hidden units: permute one network's units to match the other's and the straight line between them loses most of its barrier, the more so the wider the network.",
  citation: "Entezari, Sedghi, Saukh & Neyshabur 2022, The Role of Permutation Invariance in Linear Mode Connectivity of Neural Networks (ICLR); Ainsworth, Hayase & Srinivasa 2023, Git Re-Basin (ICLR)",
  verdict(metrics, config) {
    const widest = config.widths[config.widths.length - 1]!;
    const before = metrics[alignKey("barrierBefore", widest)];
    const after = metrics[alignKey("barrierAfter", widest)];
    const nats = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(3));
    return judge(
      [check(`width ${widest}: share of the training-loss barrier removed by weight matching (${nats(before)} -> ${nats(after)} nats)`, metrics[alignKey("reduction", widest)], { atLeast: config.claim.minReduction }, { format: formats.percent(0), formatBound: formats.percent(0) })],
      { reported: config.widths.map((w) => `width ${w}: ${nats(metrics[alignKey("barrierBefore", w)])} -> ${nats(metrics[alignKey("barrierAfter", w)])} nats`) },
    );
  },
  interpret(metrics, config) {
    const w = config.widths;
    const at = (x: number) => `${(metrics[alignKey("barrierBefore", x)] ?? Number.NaN).toFixed(3)} -> ${(metrics[alignKey("barrierAfter", x)] ?? Number.NaN).toFixed(3)}`;
    return `The training-loss barrier on the straight line between two nets, before -> after matching their hidden units: ${at(w[0]!)} nats at width ${w[0]}, ${at(w[w.length - 1]!)} nats at width ${w[w.length - 1]}. The permuted network computes exactly the same function: only its coordinates moved.`;
  },
  deviations:
    "Ainsworth et al. matched MLPs of 512 units per layer (3 hidden layers) trained with Adam on all of MNIST; we match two-hidden-layer MLPs of each width trained with SGD on 8,000 digits (the paper preset: 60,000), by their Algorithm 2 (weight matching, coordinate descent over layers in random order, biases included).",
};
