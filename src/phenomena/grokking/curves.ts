/**
 * Reading a grokking curve: when the training set was first fitted (training accuracy at its threshold), when the
 * test accuracy arrived (from then on at least a fraction of its final value), and the ratio of the two steps.
 */
export interface CurvePoint {
  step: number;
  trainAccuracy: number;
  testAccuracy: number;
  weightNorm: number;
}

export function delays(curve: readonly CurvePoint[], trainAccuracy: number, testFraction: number): Record<string, number> {
  const last = curve.at(-1);
  return last ? delaysTo(curve, trainAccuracy, testFraction * last.testAccuracy) : {};
}

/** As delays, with the test accuracy that counts as generalized given outright (Power et al.'s 99%). */
export function delaysTo(curve: readonly CurvePoint[], trainAccuracy: number, target: number): Record<string, number> {
  const last = curve.at(-1);
  if (!last) return {};
  const fitted = curve.find((p) => p.trainAccuracy >= trainAccuracy);
  // the step from which the test accuracy stays at the target to the end: an early bump that falls back is not it
  let from = curve.length;
  while (from > 0 && curve[from - 1]!.testAccuracy >= target) from--;
  const generalized = curve[from];
  return {
    stepToFit: fitted?.step ?? Number.NaN,
    stepToGeneralize: generalized?.step ?? Number.NaN,
    delay: fitted && generalized ? generalized.step / fitted.step : Number.NaN,
    testAccuracyWhenFitted: fitted?.testAccuracy ?? Number.NaN,
    finalTrainAccuracy: last.trainAccuracy,
    finalTestAccuracy: last.testAccuracy,
    initialWeightNorm: curve[0]!.weightNorm,
    finalWeightNorm: last.weightNorm,
  };
}
