/**
 * The figures §8.5 judges, read off the measured curve: NC1 at the start of the terminal phase against the end, the
 * class means' angles at the end, and how steadily the classifier-to-means distance (NC3) fell in between.
 */
import type { CollapseRow } from "./neural-collapse.schema.js";

/** The largest rise of a series above its lowest value so far, relative to that value (0 for a non-increasing one). */
export function largestRebound(values: readonly number[]): number {
  let lowest = Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const v of values) {
    if (v > lowest) worst = Math.max(worst, (v - lowest) / lowest);
    lowest = Math.min(lowest, v);
  }
  return values.length === 0 || values.some((v) => !Number.isFinite(v)) ? Number.NaN : worst;
}

export function summarizeCollapse(curve: readonly CollapseRow[], terminalPhaseEpoch: number): Record<string, number> {
  const last = curve.at(-1);
  if (!last) return {};
  const start = curve.find((r) => r.epoch === terminalPhaseEpoch);
  const terminal = start ? curve.filter((r) => r.epoch >= start.epoch) : [];
  return {
    terminalPhaseEpoch,
    epochsInTerminalPhase: start ? last.epoch - start.epoch : Number.NaN,
    "nc1.atTerminalPhase": start?.withinClassVariability ?? Number.NaN,
    "nc1.final": last.withinClassVariability,
    "nc1.reduction": start ? start.withinClassVariability / last.withinClassVariability : Number.NaN,
    "nc2.meanCosine": last.meanCosine,
    "nc2.meanCosineStd": last.meanCosineStd,
    "nc2.cosineGapToSimplex": last.cosineGapToSimplex,
    "nc2.meanNormSpread": last.meanNormSpread,
    "nc2.classifierNormSpread": last.classifierNormSpread,
    "nc3.atTerminalPhase": start?.classifierToMeans ?? Number.NaN,
    "nc3.final": last.classifierToMeans,
    "nc3.rebound": start ? largestRebound(terminal.map((r) => r.classifierToMeans)) : Number.NaN,
    "nc4.atTerminalPhase": start?.nearestMeanMismatch ?? Number.NaN,
    "nc4.final": last.nearestMeanMismatch,
    finalTrainAccuracy: last.trainAccuracy,
    finalTrainLoss: last.trainLoss,
    "testAccuracy.atTerminalPhase": start?.testAccuracy ?? Number.NaN,
    finalTestAccuracy: last.testAccuracy,
  };
}
