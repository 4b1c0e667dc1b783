/**
 * Experiment 3c (Dauphin et al. 2014, figure 1): critical points of a small tanh net's training loss, located and
 * verified exactly in float64, and the relation between their training error and their index (the share of negative
 * Hessian eigenvalues). Dauphin et al.'s claim: high-error critical points are saddles, the more so the higher the
 * error; low-error ones are minima.
 */
import { spearman } from "../../core/stats.js";
import type { Rng } from "../../core/rng.js";
import { boxAverage } from "../../data/transforms.js";
import { recordSubset, subsetOfSizeWithIndices } from "../data.js";
import { checkpoint } from "../../core/interrupt.js";
import { featureSize } from "../../data/dataset.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { TinyTanhNet } from "../../analysis/critical/tiny-net.js";
import { findCriticalPoint, hessianSpectrum, minimizeLoss, type CriticalPointSearch } from "../../analysis/critical/critical-points.js";
import { indexVsErrorDetails, indexVsErrorSchema, type IndexVsErrorConfig, type IndexVsErrorDetails, type PointSource } from "./index-vs-error.schema.js";
import { indexVsErrorClaim } from "./index-vs-error.claim.js";

export type CriticalPoint = Omit<IndexVsErrorDetails["points"][number], "duplicate">;

/** Xavier-scaled normal weights (Glorot & Bengio 2010 for tanh), zero biases, on `active` units; the rest zero. */
function initialWeights(net: TinyTanhNet, active: number, rng: Rng): { theta: Float64Array; frozen: boolean[] } {
  const { inputs, hidden, classes } = net;
  const theta = new Float64Array(net.size);
  const frozen = new Array<boolean>(net.size).fill(false);
  for (let j = 0; j < hidden; j++) {
    const on = j < active;
    // incoming weights and bias (d = inputs), then outgoing weights; biases start at zero
    for (let d = 0; d <= inputs; d++) {
      const at = net.hiddenIndex(j, d);
      if (d < inputs) theta[at] = on ? rng.normal(0, Math.sqrt(2 / (inputs + hidden))) : 0;
      frozen[at] = !on;
    }
    for (let k = 0; k < classes; k++) {
      const at = net.outputIndex(k, j);
      theta[at] = on ? rng.normal(0, Math.sqrt(2 / (hidden + classes))) : 0;
      frozen[at] = !on;
    }
  }
  return { theta, frozen };
}

const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** Two verified points are the same when their losses agree to 1e-9 and their indices exactly (units may be permuted). */
function sameAs(a: CriticalPoint, b: CriticalPoint): boolean {
  return Math.abs(a.loss - b.loss) <= 1e-9 * Math.max(1, Math.abs(a.loss)) && a.index === b.index;
}

/** The first of each set of equal points, in order. */
function distinctPoints(points: readonly CriticalPoint[]): CriticalPoint[] {
  const distinct: CriticalPoint[] = [];
  for (const p of points) if (!distinct.some((q) => sameAs(p, q))) distinct.push(p);
  return distinct;
}

export const indexVsError = defineExperiment({
  id: "index-vs-error",
  title: "High-error critical points are saddles: index against error",
  property: "loss-landscape",
  description: "Exact critical points of a 49-5-10 tanh net on 7x7 MNIST, verified to 1e-6, and the share of negative Hessian eigenvalues against training error.",
  schema: indexVsErrorSchema,
  presets: {
    // the standard net and search on 400 digits at 4 x 4: about a minute, enough distinct points for a verdict
    quick: {
      data: { trainSize: 400, downsample: 7 },
      search: { snapshotEpochs: [3], newtonIterations: 40 },
    },
    standard: {},
    paper: { search: { restartsPerLevel: 20, snapshotEpochs: [1, 3, 10, 30, 100], newtonIterations: 150 } },
  },
  claim: indexVsErrorClaim,
  details: indexVsErrorDetails,
  figures: (r) => (r.details ? indexVsErrorFigures(r.details) : []),
  async run(config, ctx) {
    const full = await ctx.data.load(config.data.dataset, "train");
    const drawn = subsetOfSizeWithIndices(full, config.data.trainSize, "data.trainSize", ctx.streams.get("data"));
    await recordSubset(ctx, "train", drawn.indices);
    const train = boxAverage(drawn.subset, config.data.downsample);
    const net = new TinyTanhNet(featureSize(train), config.model.hidden, train.classes, Float64Array.from(train.x), train.y, config.model.weightDecay);
    const initRng = ctx.streams.get("init");
    const noise = ctx.streams.get("noise");
    const reference = norm(net.lossAndGradient(initialWeights(net, config.model.hidden, initRng.fork("reference")).theta).gradient);
    const tolerance = config.search.relativeTolerance * reference;
    const s = config.search;
    const levels = config.model.hidden + 1;
    // the perturbed searches are counted once the distinct points are known
    let total = levels * s.restartsPerLevel + s.snapshotEpochs.length;
    let step = 0;
    const points: CriticalPoint[] = [];
    const thetaOf = new Map<CriticalPoint, Float64Array>();
    const runs: Record<PointSource, { runs: number; converged: number }> = {
      minimum: { runs: 0, converged: 0 },
      "reduced-net": { runs: 0, converged: 0 },
      perturbed: { runs: 0, converged: 0 },
      snapshot: { runs: 0, converged: 0 },
    };

    const measure = (found: CriticalPointSearch, source: PointSource, activeUnits: number): CriticalPoint | null => {
      runs[source].runs++;
      // the verification: the full gradient, recomputed, whatever the search reported
      const g = norm(net.lossAndGradient(found.theta).gradient);
      if (!(g <= tolerance)) return null;
      runs[source].converged++;
      const spectrum = hessianSpectrum(net, found.theta, config.spectrum.signTolerance, config.spectrum.flatTolerance);
      const point: CriticalPoint = {
        source,
        activeUnits,
        loss: found.loss,
        error: found.error,
        gradientNorm: g,
        index: spectrum.index,
        flat: spectrum.nearZero,
        minEigenvalue: spectrum.min,
        maxEigenvalue: spectrum.max,
        lowest: spectrum.values.slice(-40).reverse(),
      };
      thetaOf.set(point, found.theta);
      const { lowest: _, ...event } = point;
      ctx.emit({ type: "critical-point", ...event });
      return point;
    };
    const report = (phase: string, p: CriticalPoint | null, found: CriticalPointSearch) =>
      ctx.progress({
        phase,
        step: ++step,
        total,
        detail: p
          ? `error ${(p.error * 100).toFixed(1)}% index ${p.index.toFixed(3)} (${found.iterations} steps)`
          : `not verified: ||g|| ${found.gradientNorm.toExponential(1)} after ${found.iterations} steps`,
      });

    // 1. minima of the full net and of the net with units switched off
    for (let active = config.model.hidden; active >= 0; active--) {
      for (let r = 0; r < s.restartsPerLevel; r++) {
        await checkpoint(ctx.signal);
        const start = initialWeights(net, active, initRng.fork(`level-${active}/restart-${r}`));
        const found = minimizeLoss(net, start.theta, { tolerance, maxIterations: s.minimizeIterations, frozen: start.frozen, signal: ctx.signal });
        const p = measure(found, active === config.model.hidden ? "minimum" : "reduced-net", active);
        report(`minimize with ${active} of ${config.model.hidden} units`, p, found);
        if (p) points.push(p);
      }
    }
    // 2. Newton on the gradient map from each distinct point perturbed: it may land on the same point or another one
    const seeds = distinctPoints(points);
    total += seeds.length;
    for (const [i, seed] of seeds.entries()) {
      await checkpoint(ctx.signal);
      const theta = thetaOf.get(seed)!;
      const rms = norm(theta) / Math.sqrt(theta.length);
      const start = theta.map((v) => v + noise.normal(0, s.perturbation * rms));
      const found = findCriticalPoint(net, start, { tolerance, maxIterations: s.newtonIterations, signal: ctx.signal });
      const p = measure(found, "perturbed", seed.activeUnits);
      report(`Newton from perturbed point ${i + 1} of ${seeds.length}`, p, found);
      if (p) points.push(p);
    }
    // 3. ... and from snapshots of SGD on the same loss
    if (s.snapshotEpochs.length > 0) {
      const order = ctx.streams.get("data-order");
      const theta = initialWeights(net, config.model.hidden, initRng.fork("sgd")).theta;
      const last = Math.max(...s.snapshotEpochs);
      for (let epoch = 1; epoch <= last; epoch++) {
        const perm = order.permutation(net.n);
        for (let b = 0; b < net.n; b += s.sgd.batchSize) {
          const g = net.lossAndGradient(theta, perm.subarray(b, b + s.sgd.batchSize)).gradient;
          for (let k = 0; k < theta.length; k++) theta[k]! -= s.sgd.lr * g[k]!;
        }
        if (!s.snapshotEpochs.includes(epoch)) continue;
        await checkpoint(ctx.signal);
        const found = findCriticalPoint(net, theta, { tolerance, maxIterations: s.newtonIterations, signal: ctx.signal });
        const p = measure(found, "snapshot", config.model.hidden);
        report(`Newton from the SGD snapshot after epoch ${epoch}`, p, found);
        if (p) points.push(p);
      }
    }
    return summarize(points, runs, config, tolerance, net.size);
  },
});

function summarize(
  points: CriticalPoint[],
  runs: Record<PointSource, { runs: number; converged: number }>,
  config: IndexVsErrorConfig,
  tolerance: number,
  parameters: number,
): { metrics: Record<string, number>; details: IndexVsErrorDetails } {
  const distinct = distinctPoints(points);
  const marked = points.map((p) => ({ ...p, duplicate: !distinct.includes(p) }));
  const metrics: Record<string, number> = { "points.verified": points.length, "points.distinct": distinct.length, tolerance };
  for (const [source, r] of Object.entries(runs)) {
    metrics[`search.${camel(source)}Runs`] = r.runs;
    metrics[`search.${camel(source)}Converged`] = r.converged;
  }
  if (distinct.length > 0) {
    const errors = distinct.map((p) => p.error);
    const indices = distinct.map((p) => p.index);
    if (distinct.length >= 2) metrics["points.spearman"] = spearman(errors, indices);
    const byError = distinct.slice().sort((a, b) => a.error - b.error);
    const tenth = byError.slice(0, Math.max(1, Math.ceil(distinct.length / 10)));
    metrics["points.lowErrorMaxIndex"] = Math.max(...tenth.map((p) => p.index));
    metrics["points.highIndexCount"] = indices.filter((i) => i >= config.claim.highIndex).length;
    metrics["points.minError"] = Math.min(...errors);
    metrics["points.maxError"] = Math.max(...errors);
    metrics["points.maxIndex"] = Math.max(...indices);
    metrics["points.minimaCount"] = indices.filter((i) => i === 0).length;
    // how many of the distinct points only Newton's method on the gradient map found (not a minimization)
    metrics["points.newFromNewton"] = distinct.filter((p) => p.source === "perturbed" || p.source === "snapshot").length;
  }
  return { metrics, details: { parameters, tolerance, points: marked } };
}

const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

const SOURCE_LABEL: Record<PointSource, string> = {
  minimum: "minimized, all units",
  "reduced-net": "minimized, units switched off",
  perturbed: "Newton from a perturbed point",
  snapshot: "Newton from an SGD snapshot",
};

export function indexVsErrorFigures(details: IndexVsErrorDetails): FigureSpec[] {
  const distinct = details.points.filter((p) => !p.duplicate);
  const sources = [...new Set(distinct.map((p) => p.source))];
  const levels = [...new Set(distinct.map((p) => p.activeUnits))].sort((a, b) => b - a);
  return [
    {
      id: "index-vs-error",
      kind: "scatter",
      title: "Index against training error at verified critical points",
      caption: `Each dot is a distinct critical point (||grad L|| <= ${details.tolerance.toExponential(1)}); the index is the share of the ${details.parameters} Hessian eigenvalues below zero. Dauphin et al.'s figure 1: the higher the error, the more directions lead down.`,
      x: "training error (%)",
      y: "index (share of negative eigenvalues)",
      series: sources.map((source) => ({
        name: SOURCE_LABEL[source],
        points: distinct.filter((p) => p.source === source).map((p) => [p.error * 100, p.index] as [number, number]),
        radius: source === "perturbed" || source === "snapshot" ? 5 : 3,
      })),
    },
    {
      id: "lowest-eigenvalues",
      kind: "line",
      title: "The lowest Hessian eigenvalues, one critical point per number of active units",
      caption: "Sorted ascending; fewer active units means higher error, and the spectrum's left end moves further below zero (Dauphin et al.: spectra shift left as the error grows).",
      x: "rank (lowest first)",
      y: "eigenvalue",
      series: levels.map((active) => {
        const p = distinct.find((q) => q.activeUnits === active && q.source !== "perturbed")!;
        return { name: `${active} units, error ${(p.error * 100).toFixed(1)}%`, points: p.lowest.map((v, i) => [i + 1, v] as [number, number]) };
      }),
      rules: [{ y: 0, label: "zero" }],
    },
  ];
}
