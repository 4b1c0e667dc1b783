import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { IndexVsErrorConfig } from "./index-vs-error.schema.js";

export const indexVsErrorClaim: Claim<IndexVsErrorConfig> = {
  statement: "Critical points of a neural net's loss with high error are saddles, with more descent directions the higher the error; the low-error ones are minima.",
  citation: "Dauphin, Pascanu, Gulcehre, Cho, Ganguli & Bengio 2014, Identifying and attacking the saddle point problem in high-dimensional non-convex optimization (NIPS), figure 1",
  verdict(metrics, config) {
    const c = config.claim;
    const count = { format: formats.fixed(0), formatBound: String };
    return judge([
      check("Spearman(error, index)", metrics["points.spearman"], { atLeast: c.minSpearman }),
      check("distinct verified critical points", metrics["points.distinct"] ?? 0, { atLeast: c.minPoints }, count),
      check("largest index among the lowest-error tenth", metrics["points.lowErrorMaxIndex"], { atMost: c.lowErrorMaxIndex }),
      check(`points with index >= ${c.highIndex}`, metrics["points.highIndexCount"] ?? 0, { atLeast: c.minHighIndexPoints }, count),
    ]);
  },
  interpret(metrics) {
    const m = (k: string) => metrics[k];
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    return (
      `${fmt(m("points.distinct"), 0)} distinct critical points were verified, with training errors from ${pct(m("points.minError"))} to ${pct(m("points.maxError"))}; ` +
      `their index rises with the error (Spearman ${fmt(m("points.spearman"), 2)}): the lowest-error points have index ${fmt(m("points.lowErrorMaxIndex"), 3)} at most, the highest ${fmt(m("points.maxIndex"), 3)}. ` +
      `Newton's method on the gradient map verified ${fmt(m("search.perturbedConverged"), 0)} of ${fmt(m("search.perturbedRuns"), 0)} searches from perturbed critical points and ${fmt(m("search.snapshotConverged"), 0)} of ${fmt(m("search.snapshotRuns"), 0)} from SGD snapshots, and found ${fmt(m("points.newFromNewton"), 0)} point(s) the minimizations had not.`
    );
  },
  deviations:
    "7 x 7 box-averaged MNIST (Dauphin et al.: 10 x 10) and a 5-unit net with a small L2 penalty so that minima exist at finite weights. Most saddles are the minima of the same net with units switched off (exact critical points by construction, Fukumizu & Amari 2000), located by damped Newton; Dauphin et al. ran Newton's method from many starts, which from SGD snapshots does not reach our 1e-6 verification tolerance (the README gives the figures).",
};

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? "n/a" : v.toFixed(digits);
}
