/**
 * The full eigendecomposition of a symmetric matrix in float64, for matrices of up to a few thousand rows: Householder
 * reduction to tridiagonal form with the transformations accumulated (tred2), then the implicit QL algorithm with
 * Wilkinson-style shifts applied to the accumulated vectors (tql2), as in EISPACK. O(n^3); the cyclic Jacobi of
 * linalg.ts stays the slow, simple reference the tests check this against.
 *
 * Layout: the matrix is given as rows; the eigenvectors come back as rows too (vectors[i] belongs to values[i]), so
 * that the QL rotations, which mix two eigenvectors at a time, touch two contiguous arrays instead of two strided
 * columns: for n = 1,000 that is the difference between seconds and tens of seconds.
 */

export interface EigenSystem {
  /** Ascending. */
  values: Float64Array;
  /** vectors[i] is the unit eigenvector of values[i]. */
  vectors: Float64Array[];
}

export function symmetricEigenSystem(matrix: readonly ArrayLike<number>[]): EigenSystem {
  const n = matrix.length;
  for (const row of matrix) if (row.length !== n) throw new RangeError(`symmetricEigenSystem: the matrix is not square (${n} rows, a row of ${row.length})`);
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  const v = matrix.map((row) => Float64Array.from(row));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = v[i]![j]!;
      const b = v[j]![i]!;
      if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))) throw new RangeError(`symmetricEigenSystem: the matrix is not symmetric at (${i}, ${j})`);
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(v, d, e);
  diagonalize(v, d, e);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return { values: Float64Array.from(order, (i) => d[i]!), vectors: order.map((i) => v[i]!) };
}

/**
 * Householder tridiagonalization with accumulation (EISPACK's tred2), written on the transpose u = v^T of the usual
 * working matrix so that every inner loop runs along a row: the input is symmetric, so u starts equal to it, and on
 * return d is the diagonal, e[1..n-1] the sub-diagonal, and row j of u the j-th column of the orthogonal transform.
 */
function tridiagonalize(u: Float64Array[], d: Float64Array, e: Float64Array): void {
  const n = u.length;
  for (let j = 0; j < n; j++) d[j] = u[j]![n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    const ui = u[i]!;
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = u[j]![i - 1]!;
        u[j]![i] = 0;
        ui[j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const uj = u[j]!;
        f = d[j]!;
        ui[j] = f;
        g = e[j]! + uj[j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const ujk = uj[k]!;
          g += ujk * d[k]!;
          e[k]! += ujk * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        const uj = u[j]!;
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) uj[k]! -= f * e[k]! + g * d[k]!;
        d[j] = uj[i - 1]!;
        uj[i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    const ui = u[i]!;
    const next = u[i + 1]!;
    ui[n - 1] = ui[i]!;
    ui[i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = next[k]! / h;
      for (let j = 0; j <= i; j++) {
        const uj = u[j]!;
        let g = 0;
        for (let k = 0; k <= i; k++) g += next[k]! * uj[k]!;
        for (let k = 0; k <= i; k++) uj[k]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) next[k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = u[j]![n - 1]!;
    u[j]![n - 1] = 0;
  }
  u[n - 1]![n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the rows of w (the transposed transform) along. */
function diagonalize(w: Float64Array[], d: Float64Array, e: Float64Array): void {
  const n = w.length;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 100) throw new RangeError("symmetricEigenSystem: no convergence in 100 QL iterations");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const wi = w[i]!;
          const wi1 = w[i + 1]!;
          for (let k = 0; k < n; k++) {
            const hk = wi1[k]!;
            wi1[k] = s * wi[k]! + c * hk;
            wi[k] = c * wi[k]! - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
