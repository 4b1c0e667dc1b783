/** Small dense linear algebra in float64 for checks and Krylov post-processing (matrices of at most a few hundred rows). */

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations: slow (O(n^3) per sweep) but exact to
 * rounding and simple enough to trust as a reference. Returns eigenvalues in descending order, eigenvectors as columns
 * in the same order.
 */
export function symmetricEigen(matrix: number[][], tolerance = 1e-12, maxSweeps = 100): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  for (const row of matrix) if (row.length !== n) throw new RangeError(`symmetricEigen: the matrix is not square (${n} rows, a row of ${row.length})`);
  const a = matrix.map((row) => row.slice());
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const scale = Math.max(1, Math.abs(a[i]![j]!), Math.abs(a[j]![i]!));
      if (Math.abs(a[i]![j]! - a[j]![i]!) > 1e-6 * scale) throw new RangeError(`symmetricEigen: the matrix is not symmetric at (${i}, ${j})`);
    }
  }
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const offNorm = () => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i]![j]! ** 2;
    return Math.sqrt(s);
  };
  const total = Math.sqrt(a.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0)) || 1;
  for (let sweep = 0; sweep < maxSweeps && offNorm() > tolerance * total; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return { values: order.map((i) => a[i]![i]!), vectors: v.map((row) => order.map((i) => row[i]!)) };
}

/**
 * Eigenvalues (descending) of a symmetric matrix by Householder tridiagonalization and the implicit QL algorithm
 * (Numerical Recipes' tred2 and tqli, values only): O(n^3) once, fast enough for the 565 x 565 Hessians of the
 * index experiment, where Jacobi's sweeps are not. Checked against symmetricEigen in tests.
 */
export function symmetricEigenvalues(matrix: number[][]): number[] {
  const n = matrix.length;
  if (n === 0) return [];
  const a = matrix.map((row) => Float64Array.from(row));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    const ai = a[i]!;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(ai[k]!);
      if (scale === 0) e[i] = ai[l]!;
      else {
        for (let k = 0; k <= l; k++) {
          ai[k]! /= scale;
          h += ai[k]! * ai[k]!;
        }
        let f = ai[l]!;
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        ai[l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          g = 0;
          for (let k = 0; k <= j; k++) g += a[j]![k]! * ai[k]!;
          for (let k = j + 1; k <= l; k++) g += a[k]![j]! * ai[k]!;
          e[j] = g / h;
          f += e[j]! * ai[j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          f = ai[j]!;
          g = e[j]! - hh * f;
          e[j] = g;
          const aj = a[j]!;
          for (let k = 0; k <= j; k++) aj[k]! -= f * e[k]! + g * ai[k]!;
        }
      }
    } else e[i] = ai[l]!;
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i]![i]!;
  // implicit QL on the tridiagonal (d: diagonal, e: sub-diagonal shifted to e[0..n-2])
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  const sign = (x: number, s: number) => (s >= 0 ? Math.abs(x) : -Math.abs(x));
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iterations++ === 60) throw new RangeError("symmetricEigenvalues: no convergence in 60 QL iterations");
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + sign(r, g));
        let s = 1;
        let c = 1;
        let p = 0;
        let deflated = false;
        for (let i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1]! -= p;
            e[m] = 0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (deflated) continue;
        d[l]! -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return Array.from(d).sort((x, y) => y - x);
}

/** The Euclidean length of a vector, accumulated in float64. */
export function euclideanNorm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * Modified Gram-Schmidt, in place and in order: each vector loses its components along the ones before it (`passes`
 * times: twice is as good as it gets in floating point) and is scaled to unit length (a zero vector stays zero).
 */
export function orthonormalize(vectors: Float64Array[], passes = 1): Float64Array[] {
  for (let c = 0; c < vectors.length; c++) {
    const v = vectors[c]!;
    for (let pass = 0; pass < passes; pass++)
      for (let p = 0; p < c; p++) {
        const u = vectors[p]!;
        let d = 0;
        for (let i = 0; i < v.length; i++) d += u[i]! * v[i]!;
        for (let i = 0; i < v.length; i++) v[i]! -= d * u[i]!;
      }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] = norm > 0 ? v[i]! / norm : 0;
  }
  return vectors;
}

/**
 * The first `k` principal-component scores of the rows (n points of any dimension): the points centred, their Gram
 * matrix's top eigenvectors found by subspace iteration (n is at most a few thousand; the dimension may be large),
 * scores = eigenvector x sqrt(eigenvalue). Each component's sign is fixed so that its largest |score| is positive,
 * so the same points always give the same picture.
 */
export function principalScores(rows: readonly ArrayLike<number>[], k = 2, iterations = 300): { scores: number[][]; variances: number[] } {
  const n = rows.length;
  if (n === 0) return { scores: [], variances: [] };
  const dim = rows[0]!.length;
  const mean = new Float64Array(dim);
  for (const r of rows) for (let j = 0; j < dim; j++) mean[j]! += r[j]! / n;
  const centred = rows.map((r) => Float64Array.from({ length: dim }, (_, j) => r[j]! - mean[j]!));
  const gram = Array.from({ length: n }, () => new Float64Array(n));
  for (let a = 0; a < n; a++)
    for (let b = a; b < n; b++) {
      let s = 0;
      const ra = centred[a]!;
      const rb = centred[b]!;
      for (let j = 0; j < dim; j++) s += ra[j]! * rb[j]!;
      gram[a]![b] = s;
      gram[b]![a] = s;
    }
  const m = Math.min(k, n);
  // Deterministic start: distinct smooth vectors (no random draw: this is a computation, not an experiment choice).
  let basis: Float64Array[] = Array.from({ length: m }, (_, c) => Float64Array.from({ length: n }, (_, i) => Math.cos((c + 1) * (i + 0.5) * 0.7) + (i === c ? 1 : 0)));
  basis = orthonormalize(basis);
  for (let it = 0; it < iterations; it++) {
    basis = orthonormalize(basis.map((v) => Float64Array.from({ length: n }, (_, i) => gram[i]!.reduce((s, g, j) => s + g * v[j]!, 0))));
  }
  const variances = basis.map((v) => {
    let q = 0;
    for (let i = 0; i < n; i++) q += v[i]! * gram[i]!.reduce((s, g, j) => s + g * v[j]!, 0);
    return Math.max(0, q);
  });
  const scores = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  basis.forEach((v, c) => {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i]!) > Math.abs(big)) big = v[i]!;
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) scores[i]![c] = sign * v[i]! * Math.sqrt(variances[c]!);
  });
  return { scores, variances: variances.map((v) => v / n) };
}
