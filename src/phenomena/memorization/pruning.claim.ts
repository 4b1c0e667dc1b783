import { check, difference, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { PruningConfig } from "./pruning.schema.js";

export const key = (what: "pruned" | "retrained", s: number) => `${what}@${s}`;

export const pruningClaim: Claim<PruningConfig> = {
  statement: "Nine in ten weights of a trained network can be removed with no loss of accuracy — once the rest are retrained; removing them without retraining costs accuracy.",
  citation: "Han, Pool, Tran & Dally 2015, Learning both Weights and Connections for Efficient Neural Networks (NIPS); LeCun, Denker & Solla 1990, Optimal Brain Damage",
  verdict(metrics, config) {
    const dense = metrics.denseAccuracy;
    const s = config.claim.at;
    const pp = { format: formats.points(2), formatBound: formats.points(2) };
    return judge([
      check(`at sparsity ${s}: accuracy lost after retraining`, difference(dense, metrics[key("retrained", s)]), { atMost: config.claim.retrainedLoss }, pp),
      check(`at sparsity ${s}: accuracy lost without retraining`, difference(dense, metrics[key("pruned", s)]), { atLeast: config.claim.unretrainedLoss }, pp),
    ]);
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`);
    const s = config.claim.at;
    return `The dense net tests at ${pct(metrics.denseAccuracy)}. Zeroing the ${s * 100}% smallest weights gives ${pct(metrics[key("pruned", s)])} at once and ${pct(metrics[key("retrained", s)])} after retraining the remaining ${((1 - s) * 100).toFixed(0)}% with the mask held: the network needed far fewer weights than it was given.`;
  },
  paperFigures: [
    { label: "dense LeNet-300-100: test accuracy", metric: "denseAccuracy", paper: 1 - 0.0164, unit: "percent", source: "Han et al. 2015, Table 1: 1.64% error" },
    { label: "8% of the weights kept, retrained: test accuracy", metric: key("retrained", 0.92), paperPresetOnly: true, paper: 1 - 0.0159, unit: "percent", source: "Han et al. 2015, Table 1: 1.59% error at 22K of 267K weights" },
  ],
  deviations:
    "Global magnitude pruning with Adam retraining (3 prune-retrain steps of 3 epochs; the quick preset one step of 2); Han et al. retrained with SGD over more iterations, pruned per layer with a quality parameter times each layer's weight sd, and also used L2 regularization and dropout adjustment. The standard preset runs on 8k digits; the paper preset on all 60k.",
  notAtQuickScale:
    "After 5 epochs on 2,000 digits the network has not converged, and 2 epochs of retraining at 90% sparsity leave 2.8 points of accuracy lost (seed 1) where Han et al.'s retraining recovers all but 0.5.",
};
