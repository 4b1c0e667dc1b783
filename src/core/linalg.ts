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
