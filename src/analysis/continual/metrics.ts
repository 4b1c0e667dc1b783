/**
 * Continual-learning figures from the accuracy matrix, as Lopez-Paz & Ranzato 2017 (GEM) define them.
 * R[i][j] is the test accuracy on task j after training on tasks 0..i; b[j] that of the untrained (randomly
 * initialized) model, needed for forward transfer.
 */

export interface ContinualMetrics {
  /** Average accuracy over all tasks after the last one. */
  acc: number;
  /** Backward transfer: how training later tasks changed earlier ones (negative = forgetting). */
  bwt: number;
  /** Forward transfer: accuracy on a task before training on it, above the untrained baseline. */
  fwt: number;
  /** Per task: best accuracy ever reached before the end minus the final accuracy (last task: 0). */
  forgetting: number[];
}

export function continualMetrics(R: number[][], baseline: number[]): ContinualMetrics {
  const T = R.length;
  if (T === 0 || R.some((row) => row.length !== T)) throw new RangeError("the accuracy matrix must be square, one row per trained task");
  if (baseline.length !== T) throw new RangeError(`baseline has ${baseline.length} entries for ${T} tasks`);
  const last = R[T - 1]!;
  const acc = last.reduce((a, b) => a + b, 0) / T;
  let bwt = 0;
  let fwt = 0;
  for (let j = 0; j < T - 1; j++) bwt += last[j]! - R[j]![j]!;
  for (let j = 1; j < T; j++) fwt += R[j - 1]![j]! - baseline[j]!;
  const forgetting = last.map((final, j) => (j === T - 1 ? 0 : Math.max(...R.slice(j, T - 1).map((row) => row[j]!)) - final));
  return { acc, bwt: T > 1 ? bwt / (T - 1) : 0, fwt: T > 1 ? fwt / (T - 1) : 0, forgetting };
}
