/**
 * A one-hidden-layer tanh network in float64, written out by hand: loss, gradient, Hessian-vector product (forward
 * mode over the backward pass) and the full Hessian. Dauphin et al.'s index-vs-error experiment needs critical points
 * to ||grad|| <= 1e-6 x its start and exact eigenvalues: float32 tfjs cannot resolve either. Parameters are one flat
 * vector: W1 [hidden][inputs] (row per unit), b1 [hidden], W2 [classes][hidden], b2 [classes]. Loss: mean softmax
 * cross-entropy. Checked against finite differences and against the tfjs float32 model in tests.
 */
export class TinyTanhNet {
  readonly size: number;
  readonly n: number;
  private readonly o: { b1: number; w2: number; b2: number };

  constructor(
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    /** n x inputs, row-major. */
    readonly x: Float64Array,
    readonly y: Int32Array,
    /**
     * L2 penalty weightDecay / 2 x ||theta||^2 on every parameter. Without it a small net that nearly separates its
     * training set has no minimum at finite weights (the loss keeps falling as weights grow), and a search for one
     * crawls forever; a small penalty makes minima exist and shifts every Hessian eigenvalue by weightDecay.
     */
    readonly weightDecay = 0,
  ) {
    if (!(weightDecay >= 0)) throw new RangeError(`TinyTanhNet: weightDecay must be >= 0, got ${weightDecay}`);
    this.n = y.length;
    if (x.length !== this.n * inputs) throw new RangeError(`TinyTanhNet: ${y.length} labels but ${x.length / inputs} inputs of ${inputs}`);
    const b1 = inputs * hidden;
    const w2 = b1 + hidden;
    const b2 = w2 + classes * hidden;
    this.o = { b1, w2, b2 };
    this.size = b2 + classes;
  }

  /** Flat index of hidden unit j's weight on input d; d = inputs is the unit's bias. */
  hiddenIndex(j: number, d: number): number {
    return d < this.inputs ? j * this.inputs + d : this.o.b1 + j;
  }

  /** Flat index of class k's weight on hidden unit m; m = hidden is the class's bias. */
  outputIndex(k: number, m: number): number {
    return m < this.hidden ? this.o.w2 + k * this.hidden + m : this.o.b2 + k;
  }

  /** The hidden activations and softmax outputs of example i. */
  private forward(theta: Float64Array, i: number, h: Float64Array, p: Float64Array): void {
    const { inputs, hidden, classes } = this;
    const xi = i * inputs;
    for (let j = 0; j < hidden; j++) {
      let a = theta[this.o.b1 + j]!;
      const row = j * inputs;
      for (let d = 0; d < inputs; d++) a += theta[row + d]! * this.x[xi + d]!;
      h[j] = Math.tanh(a);
    }
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      let z = theta[this.o.b2 + k]!;
      const row = this.o.w2 + k * hidden;
      for (let j = 0; j < hidden; j++) z += theta[row + j]! * h[j]!;
      p[k] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += p[k] = Math.exp(p[k]! - max);
    for (let k = 0; k < classes; k++) p[k]! /= sum;
  }

  /** Mean loss, its gradient, and the training error (share of examples misclassified), on all examples or a batch. */
  lossAndGradient(theta: Float64Array, batch?: ArrayLike<number>): { loss: number; gradient: Float64Array; error: number } {
    const { hidden, classes } = this;
    const n = batch ? batch.length : this.n;
    const g = new Float64Array(this.size);
    const h = new Float64Array(hidden);
    const p = new Float64Array(classes);
    const dz = new Float64Array(classes);
    let loss = 0;
    let wrong = 0;
    for (let b = 0; b < n; b++) {
      const i = batch ? batch[b]! : b;
      this.forward(theta, i, h, p);
      const label = this.y[i]!;
      loss -= Math.log(Math.max(p[label]!, 1e-300));
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[k]! > p[best]!) best = k;
      if (best !== label) wrong++;
      for (let k = 0; k < classes; k++) dz[k] = (p[k]! - (k === label ? 1 : 0)) / n;
      this.backward(theta, i, h, dz, g, null);
    }
    let penalty = 0;
    if (this.weightDecay > 0) {
      for (let i = 0; i < this.size; i++) {
        penalty += theta[i]! * theta[i]!;
        g[i]! += this.weightDecay * theta[i]!;
      }
    }
    return { loss: loss / n + (this.weightDecay / 2) * penalty, gradient: g, error: wrong / n };
  }

  /** Accumulates the gradient of one example into g, given its hidden activations and output error dz. */
  private backward(theta: Float64Array, i: number, h: Float64Array, dz: Float64Array, g: Float64Array, dhOut: Float64Array | null): void {
    const { inputs, hidden, classes } = this;
    const xi = i * inputs;
    for (let k = 0; k < classes; k++) {
      const row = this.o.w2 + k * hidden;
      for (let j = 0; j < hidden; j++) g[row + j]! += dz[k]! * h[j]!;
      g[this.o.b2 + k]! += dz[k]!;
    }
    for (let j = 0; j < hidden; j++) {
      let dh = 0;
      for (let k = 0; k < classes; k++) dh += theta[this.o.w2 + k * hidden + j]! * dz[k]!;
      if (dhOut) dhOut[j] = dh;
      const da = dh * (1 - h[j]! * h[j]!);
      const row = j * inputs;
      for (let d = 0; d < inputs; d++) g[row + d]! += da * this.x[xi + d]!;
      g[this.o.b1 + j]! += da;
    }
  }

  /** H v for the mean loss, exactly (the directional derivative of the gradient along v, carried through by hand). */
  hvp(theta: Float64Array, v: Float64Array): Float64Array {
    const { inputs, hidden, classes, n } = this;
    const out = new Float64Array(this.size);
    const h = new Float64Array(hidden);
    const p = new Float64Array(classes);
    const hDot = new Float64Array(hidden);
    const zDot = new Float64Array(classes);
    const dz = new Float64Array(classes);
    const dzDot = new Float64Array(classes);
    for (let i = 0; i < n; i++) {
      this.forward(theta, i, h, p);
      const xi = i * inputs;
      const label = this.y[i]!;
      for (let j = 0; j < hidden; j++) {
        let aDot = v[this.o.b1 + j]!;
        const row = j * inputs;
        for (let d = 0; d < inputs; d++) aDot += v[row + d]! * this.x[xi + d]!;
        hDot[j] = (1 - h[j]! * h[j]!) * aDot;
      }
      let pz = 0;
      for (let k = 0; k < classes; k++) {
        let z = v[this.o.b2 + k]!;
        const row = this.o.w2 + k * hidden;
        for (let j = 0; j < hidden; j++) z += v[row + j]! * h[j]! + theta[row + j]! * hDot[j]!;
        zDot[k] = z;
        pz += p[k]! * z;
      }
      for (let k = 0; k < classes; k++) {
        dz[k] = (p[k]! - (k === label ? 1 : 0)) / n;
        dzDot[k] = (p[k]! * (zDot[k]! - pz)) / n;
      }
      for (let k = 0; k < classes; k++) {
        const row = this.o.w2 + k * hidden;
        for (let j = 0; j < hidden; j++) out[row + j]! += dzDot[k]! * h[j]! + dz[k]! * hDot[j]!;
        out[this.o.b2 + k]! += dzDot[k]!;
      }
      for (let j = 0; j < hidden; j++) {
        let dh = 0;
        let dhDot = 0;
        for (let k = 0; k < classes; k++) {
          const w = theta[this.o.w2 + k * hidden + j]!;
          dh += w * dz[k]!;
          dhDot += v[this.o.w2 + k * hidden + j]! * dz[k]! + w * dzDot[k]!;
        }
        const daDot = dhDot * (1 - h[j]! * h[j]!) - 2 * dh * h[j]! * hDot[j]!;
        const row = j * inputs;
        for (let d = 0; d < inputs; d++) out[row + d]! += daDot * this.x[xi + d]!;
        out[this.o.b1 + j]! += daDot;
      }
    }
    if (this.weightDecay > 0) for (let i = 0; i < this.size; i++) out[i]! += this.weightDecay * v[i]!;
    return out;
  }

  /**
   * The full Hessian, assembled block by block from each example's closed form (output-output, output-hidden,
   * hidden-hidden). A first pass stores each example's coefficients; then each block is summed over all examples in
   * a small accumulator that stays in cache (adding every example's dense contribution straight into the full matrix
   * is bound by memory traffic). Checked against one exact HVP per basis vector in the tests.
   */
  hessian(theta: Float64Array): number[][] {
    const { inputs, hidden, classes, n } = this;
    const D = inputs + 1;
    const A = hidden + 1;
    const CA = classes * A;
    const h = new Float64Array(hidden);
    const p = new Float64Array(classes);
    const V = (k: number, j: number) => theta[this.o.w2 + k * hidden + j]!;
    // per example: hidden outputs with a trailing 1 (a), tanh' (t1), S = (diag p - p p^T) / n, the output-hidden
    // coefficient of each (class k, output input m, unit j), and the hidden-hidden coupling of each unit pair
    const aAll = new Float64Array(n * A);
    const sAll = new Float64Array(n * classes * classes);
    const ohAll = new Float64Array(n * CA * hidden);
    const hhAll = new Float64Array(n * hidden * hidden);
    const dz = new Float64Array(classes);
    const SV = new Float64Array(classes * hidden);
    for (let i = 0; i < n; i++) {
      this.forward(theta, i, h, p);
      const label = this.y[i]!;
      const a = aAll.subarray(i * A, (i + 1) * A);
      for (let j = 0; j < hidden; j++) a[j] = h[j]!;
      a[hidden] = 1;
      const S = sAll.subarray(i * classes * classes, (i + 1) * classes * classes);
      for (let k = 0; k < classes; k++) {
        dz[k] = (p[k]! - (k === label ? 1 : 0)) / n;
        for (let l = 0; l < classes; l++) S[k * classes + l] = ((k === l ? p[k]! : 0) - p[k]! * p[l]!) / n;
      }
      for (let k = 0; k < classes; k++) {
        for (let j = 0; j < hidden; j++) {
          let sum = 0;
          for (let l = 0; l < classes; l++) sum += S[k * classes + l]! * V(l, j);
          SV[k * hidden + j] = sum;
        }
      }
      // output-hidden: (S V)_kj a_m t'_j, plus dz_k t'_j where the output weight leaves unit j (m = j); times u_d later
      const oh = ohAll.subarray(i * CA * hidden, (i + 1) * CA * hidden);
      for (let k = 0; k < classes; k++) {
        for (let m = 0; m < A; m++) {
          for (let j = 0; j < hidden; j++) {
            const t1 = 1 - h[j]! * h[j]!;
            oh[(k * A + m) * hidden + j] = (SV[k * hidden + j]! * a[m]! + (m === j ? dz[k]! : 0)) * t1;
          }
        }
      }
      // hidden-hidden: (V^T S V)_jj' t'_j t'_j', plus on the diagonal (V^T dz)_j t''_j; times u u^T later
      const hh = hhAll.subarray(i * hidden * hidden, (i + 1) * hidden * hidden);
      for (let j = 0; j < hidden; j++) {
        const t1j = 1 - h[j]! * h[j]!;
        let back = 0;
        for (let k = 0; k < classes; k++) back += V(k, j) * dz[k]!;
        for (let j2 = j; j2 < hidden; j2++) {
          let vsv = 0;
          for (let k = 0; k < classes; k++) vsv += V(k, j) * SV[k * hidden + j2]!;
          hh[j * hidden + j2] = vsv * t1j * (1 - h[j2]! * h[j2]!) + (j === j2 ? back * -2 * h[j]! * t1j : 0);
        }
      }
    }
    // each example's nonzero inputs and the bias: zero pixels, a third of a down-sampled digit, add nothing
    const nzStart = new Int32Array(n + 1);
    const nzIndex = new Int32Array(n * D);
    const nzValue = new Float64Array(n * D);
    for (let i = 0, at = 0; i < n; i++) {
      nzStart[i] = at;
      for (let d = 0; d < inputs; d++) {
        const v = this.x[i * inputs + d]!;
        if (v !== 0) {
          nzIndex[at] = d;
          nzValue[at++] = v;
        }
      }
      nzIndex[at] = inputs;
      nzValue[at++] = 1;
      nzStart[i + 1] = at;
    }

    const size = this.size;
    const rows: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    const wIndex = (j: number, d: number) => this.hiddenIndex(j, d);
    const vIndex = (k: number, m: number) => this.outputIndex(k, m);
    const put = (r: number, c: number, value: number) => {
      rows[r]![c] = value;
      rows[c]![r] = value;
    };

    // output-output: sum_i S_i (x) a_i a_i^T
    const oo = new Float64Array(CA * CA);
    for (let i = 0; i < n; i++) {
      const a = aAll.subarray(i * A, (i + 1) * A);
      const S = sAll.subarray(i * classes * classes, (i + 1) * classes * classes);
      for (let k = 0; k < classes; k++) {
        for (let m = 0; m < A; m++) {
          const row = (k * A + m) * CA;
          for (let l = k; l < classes; l++) {
            const c = S[k * classes + l]! * a[m]!;
            for (let m2 = 0; m2 < A; m2++) oo[row + l * A + m2]! += c * a[m2]!;
          }
        }
      }
    }
    for (let k = 0; k < classes; k++)
      for (let m = 0; m < A; m++)
        for (let l = k; l < classes; l++)
          for (let m2 = 0; m2 < A; m2++) put(vIndex(k, m), vIndex(l, m2), oo[(k * A + m) * CA + l * A + m2]!);

    // output-hidden, one unit at a time: the (class, output input) x input block of unit j
    const ohBlock = new Float64Array(CA * D);
    for (let j = 0; j < hidden; j++) {
      ohBlock.fill(0);
      for (let i = 0; i < n; i++) {
        const coefficients = ohAll.subarray(i * CA * hidden, (i + 1) * CA * hidden);
        const end = nzStart[i + 1]!;
        for (let km = 0; km < CA; km++) {
          const c = coefficients[km * hidden + j]!;
          const row = km * D;
          for (let q = nzStart[i]!; q < end; q++) ohBlock[row + nzIndex[q]!]! += c * nzValue[q]!;
        }
      }
      for (let k = 0; k < classes; k++)
        for (let m = 0; m < A; m++)
          for (let d = 0; d < D; d++) put(vIndex(k, m), wIndex(j, d), ohBlock[(k * A + m) * D + d]!);
    }

    // hidden-hidden, one unit pair at a time: sum_i c_i(j, j2) u_i u_i^T (upper triangle within a unit's own block)
    const hhBlock = new Float64Array(D * D);
    for (let j = 0; j < hidden; j++) {
      for (let j2 = j; j2 < hidden; j2++) {
        hhBlock.fill(0);
        for (let i = 0; i < n; i++) {
          const c = hhAll[i * hidden * hidden + j * hidden + j2]!;
          if (c === 0) continue;
          const begin = nzStart[i]!;
          const end = nzStart[i + 1]!;
          for (let q = begin; q < end; q++) {
            const cu = c * nzValue[q]!;
            const row = nzIndex[q]! * D;
            for (let q2 = j2 === j ? q : begin; q2 < end; q2++) hhBlock[row + nzIndex[q2]!]! += cu * nzValue[q2]!;
          }
        }
        for (let d = 0; d < D; d++) {
          for (let d2 = j2 === j ? d : 0; d2 < D; d2++) put(wIndex(j, d), wIndex(j2, d2), hhBlock[d * D + d2]!);
        }
      }
    }
    if (this.weightDecay > 0) for (let r = 0; r < size; r++) rows[r]![r]! += this.weightDecay;
    return rows;
  }
}
