/** Small statistics for summaries over seeds. */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; beyond 30 the normal value is close enough.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Number.NaN;
  return degreesOfFreedom <= 30 ? T975[degreesOfFreedom - 1]! : 1.96;
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  /** 95% confidence interval of the mean (Student's t); equal to [mean, mean] for one value. */
  ci95: [number, number];
  min: number;
  max: number;
  values: number[];
}

export function summarize(values: readonly number[]): Summary {
  const m = mean(values);
  const s = sd(values);
  const half = values.length > 1 ? (tQuantile975(values.length - 1) * s) / Math.sqrt(values.length) : 0;
  return {
    n: values.length,
    mean: m,
    sd: s,
    ci95: [m - half, m + half],
    min: Math.min(...values),
    max: Math.max(...values),
    values: [...values],
  };
}

/** Ranks from 1, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]!.v === order[k]!.v) end++;
    for (let t = k; t <= end; t++) out[order[t]!.i] = (k + end) / 2 + 1;
    k = end + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson's on the ranks, ties averaged); NaN when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} and ${b.length} values`);
  const ra = ranks(a);
  const rb = ranks(b);
  const ma = mean(ra);
  const mb = mean(rb);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i]! - ma) * (rb[i]! - mb);
    saa += (ra[i]! - ma) ** 2;
    sbb += (rb[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}
