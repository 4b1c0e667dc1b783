import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { OrderVsInitConfig } from "./order-vs-init.schema.js";
import { PAIR_KINDS, type PairKind } from "./order-vs-init.schema.js";

/** How two runs of the grid differ. */
export const PAIR_LABEL: Record<PairKind, string> = { sameInit: "same init, other order", sameOrder: "same order, other init", neither: "both differ" };

export const orderVsInitClaim: Claim<OrderVsInitConfig> = {
  statement:
    "For a small network on MNIST the initialization, not the data order, decides where SGD ends: runs from the same initial weights with different data orders land in one linearly connected basin, runs from different initializations are separated by a barrier.",
  citation: "Frankle, Dziugaite, Roy & Carbin 2020, Linear Mode Connectivity and the Lottery Ticket Hypothesis (ICML), section 3; Goodfellow, Vinyals & Saxe 2015 for the straight-line probe",
  verdict(metrics, config) {
    const c = config.claim;
    const dOther = metrics["sameOrder.disagreement"];
    const four = { format: formats.fixed(4), formatBound: formats.fixed(4) };
    return judge([
      check("same init, other order: test-error barrier", metrics["sameInit.testErrorBarrier"], { atMost: c.stableErrorBarrier }, { format: formats.fixed(4) }),
      check("same order, other init: training-loss barrier (nats)", metrics["sameOrder.trainLossBarrier"], { atLeast: c.minInitBarrier }, { format: formats.fixed(4) }),
      // the bound is the other pair's own disagreement
      check("test disagreement, same init vs same order", metrics["sameInit.disagreement"], { below: dOther ?? Number.NaN }, four),
    ]);
  },
  interpret(metrics) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`);
    const row = (k: PairKind) =>
      `${PAIR_LABEL[k]}: they disagree on ${pct(metrics[`${k}.disagreement`])} of test digits, lie ${(metrics[`${k}.distance`] ?? Number.NaN).toFixed(3)} apart (relative), and the straight line between them rises by ${(metrics[`${k}.trainLossBarrier`] ?? Number.NaN).toFixed(3)} nats of training loss and ${pct(metrics[`${k}.testErrorBarrier`])} of test error`;
    const closer = (metrics["sameInit.distance"] ?? Infinity) < (metrics["sameOrder.distance"] ?? Infinity);
    const agreeMore = (metrics["sameInit.disagreement"] ?? Infinity) < (metrics["sameOrder.disagreement"] ?? -Infinity);
    const reading = closer
      ? agreeMore
        ? "A shared initialization ties runs together, in weights and in predictions, far more than a shared data order does."
        : "A shared initialization ties the weights and the basin together, yet not the predictions: twins disagree on test digits as often as runs that share only their data order."
      : "Here a shared data order ties runs together at least as much as a shared initialization.";
    return `${PAIR_KINDS.map(row).join("; ")}. Mean test error of the runs: ${pct(metrics.meanTestError)}. ${reading}`;
  },
  deviations:
    "Frankle et al. measure stability on LeNet-300-100 (and larger CIFAR/ImageNet nets) trained for 24k iterations with 3 pairs per setting; here a 784-100-10 MLP on a few thousand digits, every pair of a small init x order grid, and the barrier on an α grid of step 0.1.",
};
