/**
 * The minimum-norm least-squares readout beta = Phi^+ Y, in float64, without a ridge: a ridge is exactly what flattens
 * the peak of the double-descent curve at the interpolation threshold, so the pseudo-inverse keeps every eigen-direction
 * of the Gram matrix above a stated relative cutoff (numerical rank) and none below it.
 *
 * Phi^+ = Phi^T (Phi Phi^T)^+ = (Phi^T Phi)^+ Phi^T, so either Gram matrix gives the same solution; the smaller one is
 * eigendecomposed: n x n (samples) when there are more features than samples, N x N (features) otherwise.
 */
import { symmetricEigenSystem } from "../../core/eigen.js";

export interface MinNormSolution {
  /** N x K, row-major: the readout weights of each feature for each output. */
  coefficients: Float64Array;
  /** Eigen-directions kept (the numerical rank of Phi). */
  rank: number;
  /** Largest and smallest kept eigenvalue of the Gram matrix (their ratio is Phi's condition number squared). */
  largestEigenvalue: number;
  smallestKeptEigenvalue: number;
  /** Which Gram matrix was decomposed. */
  gram: "samples" | "features";
}

/** Row-major matrix view: rows x cols in `data`. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function matrix(rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)): Matrix {
  if (data.length !== rows * cols) throw new RangeError(`matrix: ${data.length} values for ${rows} x ${cols}`);
  return { data, rows, cols };
}

/** G^+ R for a symmetric positive semi-definite G, through its eigendecomposition, keeping eigenvalues > cutoff * max. */
export function pseudoInverseApply(gram: Float64Array[], rhs: Matrix, relativeCutoff: number): { solution: Matrix; rank: number; largest: number; smallestKept: number } {
  const size = gram.length;
  if (rhs.rows !== size) throw new RangeError(`pseudoInverseApply: the right-hand side has ${rhs.rows} rows for a ${size} x ${size} Gram matrix`);
  if (!(relativeCutoff >= 0 && relativeCutoff < 1)) throw new RangeError(`pseudoInverseApply: relativeCutoff must be in [0, 1), got ${relativeCutoff}`);
  const { values, vectors } = symmetricEigenSystem(gram);
  const largest = values.length ? Math.max(0, values[values.length - 1]!) : 0;
  const threshold = relativeCutoff * largest;
  const k = rhs.cols;
  const out = new Float64Array(size * k);
  const projection = new Float64Array(k);
  let rank = 0;
  let smallestKept = Number.NaN;
  for (let i = 0; i < size; i++) {
    const lambda = values[i]!;
    if (!(lambda > threshold) || lambda <= 0) continue;
    rank++;
    if (!(smallestKept <= lambda)) smallestKept = lambda;
    const v = vectors[i]!;
    projection.fill(0);
    for (let r = 0; r < size; r++) {
      const vr = v[r]!;
      if (vr === 0) continue;
      const row = r * k;
      for (let c = 0; c < k; c++) projection[c]! += vr * rhs.data[row + c]!;
    }
    for (let c = 0; c < k; c++) projection[c]! /= lambda;
    for (let r = 0; r < size; r++) {
      const vr = v[r]!;
      const row = r * k;
      for (let c = 0; c < k; c++) out[row + c]! += vr * projection[c]!;
    }
  }
  return { solution: matrix(size, k, out), rank, largest, smallestKept };
}

/**
 * Builds Gram matrices of growing prefixes of Phi's columns (features 0..N-1), each from the one before: a sweep over
 * N pays for every column once instead of once per width.
 */
export class PrefixGram {
  /** Phi Phi^T over the columns added so far (n x n). */
  private readonly samples: Float64Array[];
  private added = 0;

  constructor(private readonly phi: Matrix) {
    this.samples = Array.from({ length: phi.rows }, () => new Float64Array(phi.rows));
  }

  /** n x n Gram of the first `width` columns; widths must not decrease between calls. */
  samplesGram(width: number): Float64Array[] {
    const { phi } = this;
    if (width < this.added || width > phi.cols) throw new RangeError(`PrefixGram: width ${width} after ${this.added} (of ${phi.cols} columns)`);
    const n = phi.rows;
    const from = this.added;
    for (let i = 0; i < n; i++) {
      const ri = phi.data.subarray(i * phi.cols + from, i * phi.cols + width);
      const gi = this.samples[i]!;
      for (let j = 0; j <= i; j++) {
        const rj = phi.data.subarray(j * phi.cols + from, j * phi.cols + width);
        let s = 0;
        for (let c = 0; c < ri.length; c++) s += ri[c]! * rj[c]!;
        gi[j]! += s;
      }
    }
    this.added = width;
    return this.samples.map((row, i) => {
      const full = row.slice();
      for (let j = i + 1; j < n; j++) full[j] = this.samples[j]![i]!;
      return full;
    });
  }
}

/** Phi^T Phi of the first `width` columns (width x width), from Phi^T's rows (features as contiguous rows). */
export function featuresGram(phiTransposed: Matrix, width: number): Float64Array[] {
  const gram = Array.from({ length: width }, () => new Float64Array(width));
  const n = phiTransposed.cols;
  for (let a = 0; a < width; a++) {
    const ra = phiTransposed.data.subarray(a * n, (a + 1) * n);
    for (let b = 0; b <= a; b++) {
      const rb = phiTransposed.data.subarray(b * n, (b + 1) * n);
      let s = 0;
      for (let c = 0; c < n; c++) s += ra[c]! * rb[c]!;
      gram[a]![b] = s;
      gram[b]![a] = s;
    }
  }
  return gram;
}

export function transpose(m: Matrix): Matrix {
  const out = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c]!;
  return matrix(m.cols, m.rows, out);
}

/**
 * beta = Phi[:, :width]^+ Y for one width. `gramOfSamples` is Phi Phi^T over those columns when width >= n (from
 * PrefixGram); below n the N x N Gram is built here from `phiTransposed`.
 */
export function minNormReadout(
  phi: Matrix,
  phiTransposed: Matrix,
  width: number,
  targets: Matrix,
  relativeCutoff: number,
  gramOfSamples?: Float64Array[],
): MinNormSolution {
  const n = phi.rows;
  const k = targets.cols;
  if (targets.rows !== n) throw new RangeError(`minNormReadout: ${targets.rows} target rows for ${n} samples`);
  if (width >= n) {
    if (!gramOfSamples) throw new RangeError("minNormReadout: width >= n needs the samples' Gram matrix");
    // alpha = (Phi Phi^T)^+ Y; beta = Phi^T alpha.
    const { solution: alpha, rank, largest, smallestKept } = pseudoInverseApply(gramOfSamples, targets, relativeCutoff);
    const beta = new Float64Array(width * k);
    for (let i = 0; i < n; i++) {
      const row = phi.data.subarray(i * phi.cols, i * phi.cols + width);
      const a = alpha.data.subarray(i * k, (i + 1) * k);
      for (let f = 0; f < width; f++) {
        const x = row[f]!;
        if (x === 0) continue;
        const out = f * k;
        for (let c = 0; c < k; c++) beta[out + c]! += x * a[c]!;
      }
    }
    return { coefficients: beta, rank, largestEigenvalue: largest, smallestKeptEigenvalue: smallestKept, gram: "samples" };
  }
  // beta = (Phi^T Phi)^+ (Phi^T Y).
  const phiTY = new Float64Array(width * k);
  for (let f = 0; f < width; f++) {
    const column = phiTransposed.data.subarray(f * n, (f + 1) * n);
    for (let i = 0; i < n; i++) {
      const x = column[i]!;
      if (x === 0) continue;
      for (let c = 0; c < k; c++) phiTY[f * k + c]! += x * targets.data[i * k + c]!;
    }
  }
  const { solution, rank, largest, smallestKept } = pseudoInverseApply(featuresGram(phiTransposed, width), matrix(width, k, phiTY), relativeCutoff);
  return { coefficients: solution.data, rank, largestEigenvalue: largest, smallestKeptEigenvalue: smallestKept, gram: "features" };
}

/** Phi[:, :width] beta for rows of features (m x cols, row-major, only the first `width` columns read). */
export function predict(features: Matrix | { data: Float32Array; rows: number; cols: number }, width: number, beta: Float64Array, k: number): Float64Array {
  const out = new Float64Array(features.rows * k);
  for (let i = 0; i < features.rows; i++) {
    const row = features.data.subarray(i * features.cols, i * features.cols + width);
    const o = i * k;
    for (let f = 0; f < width; f++) {
      const x = row[f]!;
      if (x === 0) continue;
      const b = f * k;
      for (let c = 0; c < k; c++) out[o + c]! += x * beta[b + c]!;
    }
  }
  return out;
}
