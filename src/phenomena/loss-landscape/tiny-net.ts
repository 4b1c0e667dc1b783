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
  ) {
    this.n = y.length;
    if (x.length !== this.n * inputs) throw new RangeError(`TinyTanhNet: ${y.length} labels but ${x.length / inputs} inputs of ${inputs}`);
    const b1 = inputs * hidden;
    const w2 = b1 + hidden;
    const b2 = w2 + classes * hidden;
    this.o = { b1, w2, b2 };
    this.size = b2 + classes;
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
    return { loss: loss / n, gradient: g, error: wrong / n };
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
    return out;
  }

  /** The full Hessian, one HVP per basis vector, symmetrized (rows as arrays). */
  hessian(theta: Float64Array): number[][] {
    const H: number[][] = [];
    const e = new Float64Array(this.size);
    for (let c = 0; c < this.size; c++) {
      e[c] = 1;
      H.push(Array.from(this.hvp(theta, e)));
      e[c] = 0;
    }
    for (let i = 0; i < this.size; i++) {
      for (let j = i + 1; j < this.size; j++) {
        const m = (H[i]![j]! + H[j]![i]!) / 2;
        H[i]![j] = m;
        H[j]![i] = m;
      }
    }
    return H;
  }
}
