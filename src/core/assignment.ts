/**
 * The linear assignment problem: a permutation p minimizing Σ_i cost[i][p[i]] over a square matrix, by the Hungarian
 * algorithm with potentials (Kuhn-Munkres in its O(n^3) shortest-augmenting-path form). npm offers no maintained
 * float64 solver of this size without native code, so it is written once here and checked against brute force.
 */

/** `cost` is n x n, row-major. Returns p with p[row] = the column assigned to row. */
export function linearAssignment(cost: Float64Array, n: number): Int32Array {
  if (cost.length !== n * n) throw new RangeError(`linearAssignment: ${cost.length} costs for a ${n} x ${n} matrix`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i]!)) throw new RangeError(`linearAssignment: cost ${cost[i]} at row ${Math.floor(i / n)}, column ${i % n} is not finite`);
  // 1-based arrays: index 0 is the virtual row/column the augmenting paths start from.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const matchOfColumn = new Int32Array(n + 1); // row matched to each column (0: none)
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let row = 1; row <= n; row++) {
    matchOfColumn[0] = row;
    let column0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[column0] = 1;
      const row0 = matchOfColumn[column0]!;
      let delta = Number.POSITIVE_INFINITY;
      let column1 = 0;
      const base = (row0 - 1) * n;
      const ur = u[row0]!;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = cost[base + j - 1]! - ur - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = column0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          column1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[matchOfColumn[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      column0 = column1;
    } while (matchOfColumn[column0] !== 0);
    do {
      const column1 = way[column0]!;
      matchOfColumn[column0] = matchOfColumn[column1]!;
      column0 = column1;
    } while (column0 !== 0);
  }
  const p = new Int32Array(n);
  for (let j = 1; j <= n; j++) p[matchOfColumn[j]! - 1] = j - 1;
  return p;
}
