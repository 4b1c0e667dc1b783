/**
 * Every section of an inspection on one model and one drawn set of examples: the metrics (flat keys, the same for the
 * user's model and the reference) and the details its figures read. Random streams are named under `prefix`, so
 * measuring the reference never moves the user's model's figures.
 */
import type { ExperimentContext } from "../experiment.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { firstExamples } from "../../analysis/attacks/measure.js";
import { calibration, confusionMatrix, predictAll } from "../../analysis/inspect/calibration.js";
import { robustnessProfile } from "../../analysis/inspect/robustness.js";
import { curvatureProfile } from "../../analysis/inspect/curvature.js";
import { unitPurity } from "../../analysis/inspect/inside.js";
import { prunableFraction, pruningCurve } from "../../analysis/inspect/pruning.js";
import { evaluate } from "../../training/evaluate.js";
import type { InspectConfig } from "./inspect.schema.js";

export const epsKey = (what: string, epsilon: number) => `${what}.error@${epsilon}`;
export const pruneKey = (fraction: number) => `pruning.accuracy@${fraction}`;

export interface ModelDetails {
  confusion: number[][];
  reliability: { lower: number; upper: number; count: number; confidence: number | null; accuracy: number | null }[];
  robustness: { epsilons: number[]; fgsm: number[]; pgd: number[]; noise: number[] };
  line: { alpha: number; loss: number; accuracy: number }[];
  surface: { axis: number[]; loss: number[][] };
  pruning: { fraction: number; accuracy: number }[];
  purityLayer: string | null;
}

/** JSON has no NaN: an empty bin's figures are null. */
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

export async function measureModel(model: Sequential, data: Dataset, config: InspectConfig, ctx: Pick<ExperimentContext, "streams" | "signal" | "progress">, prefix: string, label: string): Promise<{ metrics: Record<string, number>; details: ModelDetails; seconds: Record<string, number> }> {
  const stream = (name: string) => ctx.streams.get(`${prefix}${name}`);
  // wall seconds per section (kept apart from the metrics: they differ between identical runs)
  const seconds: Record<string, number> = {};
  let section = "";
  let started = performance.now();
  const step = (phase: string, s: number) => {
    if (section) seconds[section] = (performance.now() - started) / 1000;
    section = phase.split(" ")[0]!;
    started = performance.now();
    ctx.progress({ phase: `${label}: ${phase}`, step: s, total: 6 });
  };
  const metrics: Record<string, number> = {};

  step("accuracy and calibration", 0);
  const clean = evaluate(model, data);
  const predictions = predictAll(model, data);
  const cal = calibration(predictions, data.y, config.calibration.bins);
  Object.assign(metrics, { accuracy: clean.accuracy, loss: clean.loss, "calibration.ece": cal.ece, "calibration.mce": cal.mce, "calibration.confidence": cal.meanConfidence });

  step("robustness (FGSM, PGD, noise, DeepFool)", 1);
  const attacked = firstExamples(data, config.robustness.examples);
  const r = await robustnessProfile(model, attacked, { attack: stream("attack"), noise: stream("noise") }, { ...config.robustness, signal: ctx.signal });
  r.epsilons.forEach((eps, k) => {
    metrics[epsKey("fgsm", eps)] = r.fgsm[k]!;
    metrics[epsKey("pgd", eps)] = r.pgd[k]!;
    metrics[epsKey("noise", eps)] = r.noise[k]!;
  });
  Object.assign(metrics, { "deepfool.medianL2": r.deepfool.medianL2, "deepfool.medianRelative": r.deepfool.medianRelative, "deepfool.success": r.deepfool.success, "deepfool.attacked": r.deepfool.attacked });

  step("curvature and loss slices", 2);
  const curvatureData = firstExamples(data, config.curvature.examples, "curvature");
  const c = await curvatureProfile(model, curvatureData, stream("curvature"), { ...config.curvature, signal: ctx.signal });
  c.eigenvalues.forEach((v, k) => (metrics[`curvature.eigenvalue${k + 1}`] = v));
  const centre = c.line.find((p) => p.alpha === 0)?.loss ?? c.loss;
  const ends = c.line.filter((p) => Math.abs(p.alpha) === config.curvature.radius).map((p) => p.loss);
  Object.assign(metrics, {
    "curvature.loss": c.loss,
    "curvature.trace": c.trace,
    "curvature.traceStandardError": c.traceStandardError,
    "curvature.keskar": c.keskar,
    // how far the loss climbs at the edge of the 1-D slice (mean of both ends): the width of the basin at a glance
    "curvature.sliceRise": ends.reduce((a, b) => a + b, 0) / Math.max(1, ends.length) - centre,
  });

  step("units (label purity)", 3);
  const purity = unitPurity(model, data, stream("directions"), config.units);
  Object.assign(metrics, { "units.purity": purity.purityUnits, "units.purityRandom": purity.purityRandom, "units.count": purity.units, "units.dead": purity.deadUnits });

  step("pruning", 4);
  const fractions = [...new Set([0, ...config.pruning.fractions])].sort((a, b) => a - b);
  const pruning = pruningCurve(model, data, fractions);
  for (const p of pruning) metrics[pruneKey(p.fraction)] = p.accuracy;
  metrics["pruning.prunableFraction"] = prunableFraction(pruning, clean.accuracy, config.pruning.tolerance);
  step("done", 5);

  const axis = c.surfaceAxis;
  return {
    metrics,
    seconds,
    details: {
      confusion: confusionMatrix(data.y, predictions.predicted, predictions.classes),
      reliability: cal.bins.map((b) => ({ ...b, confidence: orNull(b.confidence), accuracy: orNull(b.accuracy) })),
      robustness: { epsilons: r.epsilons, fgsm: r.fgsm, pgd: r.pgd, noise: r.noise },
      line: c.line,
      surface: { axis, loss: axis.map((_, j) => axis.map((_, i) => c.surface[j * axis.length + i]!.loss)) },
      pruning: pruning.map((p) => ({ fraction: p.fraction, accuracy: p.accuracy })),
      purityLayer: purity.layer,
    },
  };
}
