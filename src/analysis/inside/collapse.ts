/**
 * Neural collapse measurements (Papyan, Han & Donoho 2020) of a classifier's last layer: how far the penultimate
 * features of the training set have collapsed to their class means (NC1), how close those means are to a simplex
 * equiangular tight frame (NC2), how close the classifier is to the means (NC3), and how often the net decides
 * otherwise than the nearest class mean (NC4).
 *
 * NC1 is Tr(Σ_W Σ_B⁺)/C. Σ_B has rank C − 1 and the features may be wide, so the d × d pseudo-inverse is never formed:
 * with Σ_B = A Aᵀ (A's columns the centred means over √C) and AᵀA = V Λ Vᵀ, Σ_B⁺ = A V Λ⁻² Vᵀ Aᵀ over the non-zero
 * eigenvalues, and the trace needs only AᵀΣ_W A, a C × C matrix built from each feature's C projections. The test
 * checks it against the explicit d × d pseudo-inverse.
 */
import { symmetricEigenSystem } from "../../core/eigen.js";
import { mean } from "../../core/stats.js";

export interface CollapseInput {
  /** n × d penultimate features of the training examples, row-major. */
  features: Float32Array;
  width: number;
  labels: Int32Array;
  classes: number;
  /** The last layer's kernel, d × C row-major (quirklab's Dense layout: column c is class c's classifier). */
  kernel: Float32Array;
  bias: Float32Array;
}

export interface CollapseMeasures {
  /** NC1: Tr(Σ_W Σ_B⁺)/C, within-class variability relative to the spread of the class means. */
  withinClassVariability: number;
  /** NC2, equinorm: std over classes of ‖μ_c − μ_G‖ over their mean (Papyan's Fig. 2). */
  meanNormSpread: number;
  /** ... and of the classifiers' norms ‖w_c‖. */
  classifierNormSpread: number;
  /** NC2, equiangularity: mean and std over the C(C − 1)/2 pairs of cos(μ_c − μ_G, μ_c' − μ_G); a simplex ETF has −1/(C−1) and 0. */
  meanCosine: number;
  meanCosineStd: number;
  /** ... the classifiers' pairwise cosines' std. */
  classifierCosineStd: number;
  /** NC2, maximal angle: the mean over pairs of |cos + 1/(C − 1)| (Papyan's Fig. 4). */
  cosineGapToSimplex: number;
  /** NC3: ‖W/‖W‖ − M/‖M‖‖_F, W's rows the classifiers and M's the centred class means. */
  classifierToMeans: number;
  /** NC4: the fraction of examples whose net decision differs from the nearest class mean's. */
  nearestMeanMismatch: number;
  /** The 2-D principal-component coordinates of the centred class means (C pairs). */
  meansPca: [number, number][];
}

/** The smallest eigenvalue of AᵀA kept, relative to the largest: below it lies the null direction Σ_c (μ_c − μ_G) = 0. */
const RANK_CUTOFF = 1e-9;

export function collapseMeasures(input: CollapseInput): CollapseMeasures {
  const { features, width: d, labels, classes: C, kernel, bias } = input;
  const n = labels.length;
  if (features.length !== n * d) throw new RangeError(`collapseMeasures: ${features.length} feature values for ${n} examples of width ${d}`);
  if (kernel.length !== d * C || bias.length !== C) throw new RangeError(`collapseMeasures: the classifier must be ${d} x ${C} with ${C} biases, got ${kernel.length} and ${bias.length} values`);

  const counts = new Float64Array(C);
  const means = Array.from({ length: C }, () => new Float64Array(d));
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    const row = means[c]!;
    for (let j = 0; j < d; j++) row[j]! += features[i * d + j]!;
  }
  for (let c = 0; c < C; c++) {
    if (counts[c] === 0) throw new RangeError(`collapseMeasures: class ${c} has no training example; neural collapse needs every class`);
    for (let j = 0; j < d; j++) means[c]![j]! /= counts[c]!;
  }
  // the mean of the class means: the centre of the simplex (the global mean, for balanced classes)
  const centre = new Float64Array(d);
  for (const m of means) for (let j = 0; j < d; j++) centre[j]! += m[j]! / C;
  const centred = means.map((m) => m.map((v, j) => v - centre[j]!));

  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
    return s;
  };
  const gram = centred.map((a) => centred.map((b) => dot(a, b) / C));
  const { values, vectors } = symmetricEigenSystem(gram);
  const largest = values[values.length - 1]!;

  const classifiers = Array.from({ length: C }, (_, c) => Float64Array.from({ length: d }, (_, j) => kernel[j * C + c]!));
  // One pass over the examples, two dot products per class each: h·m_c and h·w_c give everything per example.
  //   NC1: S = Aᵀ Σ_W A from z_c = m_c·(h − μ_y)/√C = (h·m_c − m_c·μ_y)/√C;
  //   NC4: the nearest mean minimizes ‖h − μ_c‖² = ‖h‖² − 2 h·m_c − 2 h·centre + ‖μ_c‖², i.e. ‖μ_c‖² − 2 h·m_c;
  //        the net's decision maximizes h·w_c + b_c.
  const meanOnMean = centred.map((m) => means.map((mu) => dot(m, mu)));
  const squaredMeanNorm = means.map((mu) => dot(mu, mu));
  const s = Array.from({ length: C }, () => new Float64Array(C));
  const z = new Float64Array(C);
  const scale = 1 / Math.sqrt(C);
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const h = features.subarray(i * d, (i + 1) * d);
    const y = labels[i]!;
    let netBest = 0;
    let netScore = -Infinity;
    let nearest = 0;
    let nearestScore = Infinity;
    for (let c = 0; c < C; c++) {
      const onMean = dot(h, centred[c]!);
      z[c] = (onMean - meanOnMean[c]![y]!) * scale;
      const score = dot(h, classifiers[c]!) + bias[c]!;
      if (score > netScore) [netBest, netScore] = [c, score];
      const distance = squaredMeanNorm[c]! - 2 * onMean;
      if (distance < nearestScore) [nearest, nearestScore] = [c, distance];
    }
    if (netBest !== nearest) mismatches++;
    for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) s[a]![b]! += (z[a]! * z[b]!) / n;
  }
  let trace = 0;
  for (let k = 0; k < C; k++) {
    const lambda = values[k]!;
    if (!(lambda > RANK_CUTOFF * largest)) continue;
    const v = vectors[k]!;
    let q = 0;
    for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) q += v[a]! * s[a]![b]! * v[b]!;
    trace += q / (lambda * lambda);
  }

  const norms = (rows: Float64Array[]) => rows.map((r) => Math.sqrt(dot(r, r)));
  // over all classes or all pairs, not a sample: the population std, as Papyan et al.'s Std_c and Std_{c≠c'}
  const std = (xs: number[]) => {
    const m = mean(xs);
    return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
  };
  const spread = (xs: number[]) => std(xs) / mean(xs);
  const pairCosines = (rows: Float64Array[]) => {
    const lengths = norms(rows);
    const out: number[] = [];
    for (let a = 0; a < C; a++) for (let b = a + 1; b < C; b++) out.push(dot(rows[a]!, rows[b]!) / (lengths[a]! * lengths[b]!));
    return out;
  };
  const meanCosines = pairCosines(centred);
  const simplexCosine = -1 / (C - 1);

  const frobenius = (rows: Float64Array[]) => Math.sqrt(rows.reduce((t, r) => t + dot(r, r), 0));
  const wNorm = frobenius(classifiers);
  const mNorm = frobenius(centred);
  let gap = 0;
  for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) gap += (classifiers[c]![j]! / wNorm - centred[c]![j]! / mNorm) ** 2;

  // principal components of the centred means: the top two eigenvectors of their Gram matrix (values ascend)
  const component = (k: number) => vectors[C - 1 - k]!.map((v) => Math.sqrt(C * Math.max(0, values[C - 1 - k]!)) * v);
  const first = component(0);
  const second = C > 2 ? component(1) : new Float64Array(C);

  return {
    withinClassVariability: trace / C,
    meanNormSpread: spread(norms(centred)),
    classifierNormSpread: spread(norms(classifiers)),
    meanCosine: mean(meanCosines),
    meanCosineStd: std(meanCosines),
    classifierCosineStd: std(pairCosines(classifiers)),
    cosineGapToSimplex: mean(meanCosines.map((v) => Math.abs(v - simplexCosine))),
    classifierToMeans: Math.sqrt(gap),
    nearestMeanMismatch: mismatches / n,
    meansPca: Array.from({ length: C }, (_, c): [number, number] => [first[c]!, second[c]!]),
  };
}
