/**
 * Experiment 3c (Dauphin et al. 2014, figure 1): critical points of a small tanh net's training loss, located and
 * verified exactly in float64, and the relation between their training error and their index (the share of negative
 * Hessian eigenvalues). Dauphin et al.'s claim: high-error critical points are saddles, the more so the higher the
 * error; low-error ones are minima.
 */
import { check, formats, judge } from "../verdict-kit.js";
import { z } from "zod";
import { spearman } from "../../core/stats.js";
import type { Rng } from "../../core/rng.js";
import { boxAverage } from "../../data/transforms.js";
import { subsetOfSize } from "../data.js";
import { checkpoint } from "../../core/interrupt.js";
import { featureSize } from "../../data/dataset.js";
import type { Claim, FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { TinyTanhNet } from "../../analysis/critical/tiny-net.js";
import { findCriticalPoint, hessianSpectrum, minimizeLoss, type CriticalPointSearch } from "../../analysis/critical/critical-points.js";

export const indexVsErrorSchema = z.strictObject({
  data: z
    .strictObject({
      dataset: z.string().min(1).default("mnist"),
      trainSize: z.number().int().min(10).max(10000).default(1000),
      /** Box-averaging factor: 4 turns 28 x 28 digits into 7 x 7 (Dauphin et al. used 10 x 10). */
      downsample: z.number().int().min(1).max(28).default(4),
    })
    .prefault({}),
  model: z
    .strictObject({
      /** docs/criteria.md 3c: 5 tanh hidden units, so the Hessian is a few hundred square. */
      hidden: z.number().int().min(1).max(20).default(5),
      /**
       * L2 penalty on every parameter. Without it the 5-unit net nearly separates 1,000 digits and has no minimum at
       * finite weights: damped Newton then crawls for hundreds of steps (measured: 300 steps, ||g|| still 2e-3 at
       * 1.1% error). 1e-4 shifts every eigenvalue by 1e-4, against a top eigenvalue near 1.
       */
      weightDecay: z.number().min(0).max(1).default(1e-4),
    })
    .prefault({}),
  search: z
    .strictObject({
      /**
       * Damped-Newton minimizations from fresh random weights for every number of active hidden units, 0 to all: with
       * units switched off (weights in and out zero) a minimum of the smaller net is an exact critical point of the
       * full one (Fukumizu & Amari 2000), at the smaller net's higher error.
       */
      restartsPerLevel: z.number().int().min(1).max(50).default(10),
      /** Newton steps on the loss per minimization. */
      minimizeIterations: z.number().int().min(1).max(2000).default(200),
      /**
       * Dauphin et al.'s search: Newton's method on the gradient map (Levenberg-Marquardt on ||grad||^2, which goes to
       * saddles as readily as to minima), started from every found point perturbed by Gaussian noise of this sd
       * relative to the point's root-mean-square weight.
       */
      perturbation: z.number().min(0).max(10).default(0.05),
      /** ... and from snapshots of a plain SGD run on the same loss after these epochs. */
      snapshotEpochs: z.array(z.number().int().min(1).max(1000)).max(20).default([1, 3, 10, 30]),
      sgd: z.strictObject({ lr: z.number().positive().max(10).default(0.1), batchSize: z.number().int().min(1).max(10000).default(10) }).prefault({}),
      /** Levenberg-Marquardt steps per search from a perturbed point or a snapshot. */
      newtonIterations: z.number().int().min(1).max(2000).default(60),
      /** docs/criteria.md 3c: a point counts only with ||grad L|| <= this x ||grad L(theta_0)|| at a random init. */
      relativeTolerance: z.number().positive().max(1e-2).default(1e-6),
    })
    .prefault({}),
  spectrum: z
    .strictObject({
      /** An eigenvalue is negative below -this x the largest |eigenvalue| (rounding, not curvature, below it). */
      signTolerance: z.number().positive().max(1e-2).default(1e-6),
      /** Eigenvalues within +-this x the largest |eigenvalue| are reported as flat directions, apart from the index. */
      flatTolerance: z.number().positive().max(0.5).default(1e-3),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 3c (calibrate): Spearman(error, index) >= 0.6 ... */
      minSpearman: z.number().min(-1).max(1).default(0.6),
      /** ... over >= 20 verified critical points ... */
      minPoints: z.number().int().min(2).max(1000).default(20),
      /** ... the lowest-error points (here: the lowest-error tenth) have index <= 0.02 ... */
      lowErrorMaxIndex: z.number().min(0).max(1).default(0.02),
      /** ... and at least 3 points have index >= 0.05. */
      highIndex: z.number().min(0).max(1).default(0.05),
      minHighIndexPoints: z.number().int().min(0).max(1000).default(3),
    })
    .prefault({}),
});

export type IndexVsErrorConfig = z.output<typeof indexVsErrorSchema>;

/** Where a search started; every kind ends in the same verification. */
export type PointSource = "minimum" | "reduced-net" | "perturbed" | "snapshot";

export type CriticalPoint = {
  source: PointSource;
  activeUnits: number;
  loss: number;
  error: number;
  gradientNorm: number;
  index: number;
  flat: number;
  minEigenvalue: number;
  maxEigenvalue: number;
  /** The lowest eigenvalues, ascending (for the spectra figure). */
  lowest: number[];
};

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
  figures: (r) => (r.details ? indexVsErrorFigures(r.details as unknown as IndexVsErrorDetails) : []),
  async run(config, ctx) {
    const full = await ctx.data.load(config.data.dataset, "train");
    const train = boxAverage(subsetOfSize(full, config.data.trainSize, "data.trainSize", ctx.streams.get("data")), config.data.downsample);
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

export type IndexVsErrorDetails = {
  parameters: number;
  tolerance: number;
  /** Every verified point, duplicates included (`duplicate` marks a point found before). */
  points: (CriticalPoint & { duplicate: boolean })[];
};

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
