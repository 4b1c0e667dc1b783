/**
 * Minimization attacks (foolbox's MinimizationAttack): find the smallest perturbation that succeeds, once; calling
 * with epsilons then restricts that one result to each ball, so success at epsilon means "the minimal perturbation
 * fits in it". DeepFool (Moosavi-Dezfooli et al. 2016) and Szegedy et al.'s box-constrained penalty attack.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";
import { inputGradient } from "../../engine/gradients.js";
import { ConfigError } from "../../core/errors.js";
import { VALID_MAX, VALID_MIN, criterionLabels, isSuccessful, projectToBall, type AttackResult, type Criterion, type Norm } from "./base.js";

export abstract class MinimizationAttack {
  abstract readonly norm: Norm;
  abstract readonly name: string;

  /** The smallest successful candidate the attack finds, inside [0, 1] (caller disposes). */
  abstract minimize(model: Sequential, x: Tensor, criterion: Criterion, rng: Rng): Tensor;

  call(model: Sequential, x: Tensor, criterion: Criterion, epsilons: number[], rng: Rng): AttackResult[] {
    const labels = criterionLabels(criterion);
    if (labels.length !== x.shape[0]) throw new RangeError(`${this.name}: ${x.shape[0]} inputs but ${labels.length} labels`);
    const best = this.minimize(model, x, criterion, rng);
    try {
      return epsilons.map((epsilon) => {
        if (!(epsilon >= 0)) throw new RangeError(`${this.name}: epsilon must be >= 0, got ${epsilon}`);
        const raw = tf.clone(best);
        const clipped = tf.tidy(() => tf.clipByValue(projectToBall(x, raw, epsilon, this.norm), VALID_MIN, VALID_MAX));
        return { epsilon, raw, clipped, success: isSuccessful(model, clipped, criterion) };
      });
    } finally {
      best.dispose();
    }
  }

  toString(): string {
    return this.name;
  }
}

/** Per-example gradients of logit[k] - logit[label] with respect to the input, for one class k (rows of [N, d]). */
function logitDifferenceGradient(model: Sequential, x: Tensor, labels: Tensor, k: number): { diff: Tensor; grad: Tensor } {
  const classes = model.numOutputs;
  const f = (input: Tensor) =>
    tf.tidy(() => {
      const logits = model.predict(input);
      const picked = tf.sum(tf.mul(logits, tf.oneHot(labels as tf.Tensor1D, classes)), 1);
      return tf.sub(tf.slice(logits, [0, k], [-1, 1]).reshape([-1]), picked);
    });
  const diff = f(x);
  // summing over examples keeps each example's gradient its own (examples do not interact in evaluation mode)
  const grad = tf.grad((input: Tensor) => tf.sum(f(input)))(x);
  return { diff, grad };
}

export interface DeepFoolOptions {
  steps?: number;
  /** Candidate classes examined per step: the top ones by logit (all of them by default). */
  candidates?: number;
  /** Final perturbation scaled by 1 + overshoot to cross the boundary (the paper's 0.02). */
  overshoot?: number;
}

/** DeepFool: linearize the classifier, step to the nearest linearized boundary, repeat until the label flips. Untargeted. */
export class DeepFool extends MinimizationAttack {
  readonly name: string;
  readonly steps: number;
  readonly candidates: number | undefined;
  readonly overshoot: number;
  constructor(
    readonly norm: Norm = "l2",
    options: DeepFoolOptions = {},
  ) {
    super();
    this.steps = options.steps ?? 50;
    this.candidates = options.candidates;
    this.overshoot = options.overshoot ?? 0.02;
    this.name = `DeepFool(${norm}, steps=${this.steps}, overshoot=${this.overshoot})`;
  }

  minimize(model: Sequential, x: Tensor, criterion: Criterion, _rng?: Rng): Tensor {
    if (criterion.kind !== "misclassification") throw new ConfigError("DeepFool is untargeted", "use misclassification, or a targeted attack (LinfPgd, L2Pgd, LbfgsBox)");
    const n = x.shape[0]!;
    const d = x.size / n;
    const classes = model.numOutputs;
    const total = new Float32Array(n * d);
    const base = x.dataSync() as Float32Array;
    const current = new Float32Array(base);
    const active = new Uint8Array(n).fill(1);
    for (let step = 0; step < this.steps; step++) {
      const all = tf.tensor2d(current, [n, d]);
      const done = isSuccessful(model, all, criterion);
      all.dispose();
      for (let i = 0; i < n; i++) if (done[i]) active[i] = 0;
      // only the examples not yet flipped: examples do not interact in evaluation mode, and the last few stragglers
      // must not cost a gradient of the whole batch per class per step
      const rows = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => active[i] === 1));
      const m = rows.length;
      if (m === 0) break;
      const subset = new Float32Array(m * d);
      rows.forEach((i, r) => subset.set(current.subarray(i * d, (i + 1) * d), r * d));
      const labelsOf = Int32Array.from(rows, (i) => criterion.labels[i]!);
      const xt = tf.tensor2d(subset, [m, d]);
      const labels = tf.tensor1d(labelsOf, "int32");
      const order = this.candidates ? tf.tidy(() => tf.topk(model.predict(xt), Math.min(this.candidates!, classes)).indices.dataSync() as Int32Array) : null;
      const bestRatio = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
      const bestStep = new Float32Array(m * d);
      for (let k = 0; k < classes; k++) {
        const { diff, grad } = logitDifferenceGradient(model, xt, labels, k);
        const dv = diff.dataSync();
        const gv = grad.dataSync();
        for (let r = 0; r < m; r++) {
          if (k === labelsOf[r]) continue;
          if (order && !Array.from(order.subarray(r * this.candidates!, (r + 1) * this.candidates!)).includes(k)) continue;
          const w = gv.subarray(r * d, (r + 1) * d);
          let norm = 0;
          for (let j = 0; j < d; j++) norm += this.norm === "l2" ? w[j]! * w[j]! : Math.abs(w[j]!);
          const dual = this.norm === "l2" ? Math.sqrt(norm) : norm;
          if (dual === 0) continue;
          const ratio = Math.abs(dv[r]!) / dual;
          if (ratio < bestRatio[r]!) {
            bestRatio[r] = ratio;
            const scale = (Math.abs(dv[r]!) + 1e-4) / (this.norm === "l2" ? norm : dual);
            for (let j = 0; j < d; j++) bestStep[r * d + j] = this.norm === "l2" ? scale * w[j]! : scale * Math.sign(w[j]!);
          }
        }
        tf.dispose([diff, grad]);
      }
      tf.dispose([xt, labels]);
      rows.forEach((i, r) => {
        if (!Number.isFinite(bestRatio[r]!)) return;
        for (let j = 0; j < d; j++) {
          total[i * d + j]! += bestStep[r * d + j]!;
          current[i * d + j] = Math.min(VALID_MAX, Math.max(VALID_MIN, base[i * d + j]! + (1 + this.overshoot) * total[i * d + j]!));
        }
      });
    }
    return tf.tensor(current, x.shape);
  }
}

export interface LbfgsBoxOptions {
  /** Searches on the penalty weight c (binary search after a bracketing phase). */
  searches?: number;
  /** Optimizer steps per value of c. */
  steps?: number;
  learningRate?: number;
  initialC?: number;
}

/**
 * Szegedy et al. 2014's box-constrained attack: minimize c |r|_2^2 + loss(x + r, target) subject to x + r in [0, 1],
 * searching the largest c (the smallest distortion) that still succeeds, per example. The inner problem is solved by
 * projected Adam steps (the paper used L-BFGS-B); untargeted runs ascend the true label's loss instead.
 */
export class LbfgsBox extends MinimizationAttack {
  readonly norm = "l2" as const;
  readonly name: string;
  readonly searches: number;
  readonly steps: number;
  readonly learningRate: number;
  readonly initialC: number;
  constructor(options: LbfgsBoxOptions = {}) {
    super();
    this.searches = options.searches ?? 8;
    this.steps = options.steps ?? 50;
    this.learningRate = options.learningRate ?? 0.01;
    this.initialC = options.initialC ?? 1;
    this.name = `LbfgsBox(searches=${this.searches}, steps=${this.steps}, lr=${this.learningRate})`;
  }

  /** One inner solve at per-example penalty weights c: returns the candidate inputs. */
  private solve(model: Sequential, x: Tensor, criterion: Criterion, c: Float32Array): Float32Array {
    const n = x.shape[0]!;
    const labels = tf.tensor1d(criterionLabels(criterion), "int32");
    const sign = criterion.kind === "targeted" ? 1 : -1; // descend the target's loss, or ascend the label's
    const cT = tf.tensor2d(c, [n, 1]);
    let adv = tf.clone(x);
    const m = tf.zerosLike(x);
    const v = tf.zerosLike(x);
    let mt = m;
    let vt = v;
    const [b1, b2] = [0.9, 0.999];
    for (let t = 1; t <= this.steps; t++) {
      const { grad } = inputGradient(model, adv, labels, "softmax-ce", "sum");
      const next = tf.tidy(() => {
        const g = tf.add(tf.mul(sign, grad), tf.mul(tf.mul(cT, 2), tf.sub(adv, x)));
        const m2 = tf.add(tf.mul(mt, b1), tf.mul(g, 1 - b1));
        const v2 = tf.add(tf.mul(vt, b2), tf.mul(tf.square(g), 1 - b2));
        const stepped = tf.sub(adv, tf.mul(this.learningRate, tf.div(tf.div(m2, 1 - b1 ** t), tf.add(tf.sqrt(tf.div(v2, 1 - b2 ** t)), 1e-8))));
        return { adv: tf.clipByValue(stepped, VALID_MIN, VALID_MAX), m: m2, v: v2 };
      });
      tf.dispose([grad, adv, mt, vt]);
      adv = next.adv;
      mt = next.m;
      vt = next.v;
    }
    const out = Float32Array.from(adv.dataSync());
    tf.dispose([adv, mt, vt, labels, cT]);
    return out;
  }

  minimize(model: Sequential, x: Tensor, criterion: Criterion, _rng?: Rng): Tensor {
    const n = x.shape[0]!;
    const d = x.size / n;
    const base = x.dataSync() as Float32Array;
    const c = new Float32Array(n).fill(this.initialC);
    const low = new Float64Array(n).fill(0); // a c known to succeed (0: none yet)
    const high = new Float64Array(n).fill(Number.POSITIVE_INFINITY); // a c known to fail
    const best = new Float32Array(base);
    const bestDist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    for (let s = 0; s < this.searches; s++) {
      const candidate = this.solve(model, x, criterion, c);
      const ct = tf.tensor2d(candidate, [n, d]);
      const ok = isSuccessful(model, ct, criterion);
      ct.dispose();
      for (let i = 0; i < n; i++) {
        let dist = 0;
        for (let j = 0; j < d; j++) dist += (candidate[i * d + j]! - base[i * d + j]!) ** 2;
        if (ok[i]) {
          if (dist < bestDist[i]!) {
            bestDist[i] = dist;
            best.set(candidate.subarray(i * d, (i + 1) * d), i * d);
          }
          low[i] = c[i]!; // succeeded: try a stronger penalty (smaller distortion)
          c[i] = Number.isFinite(high[i]!) ? (c[i]! + high[i]!) / 2 : c[i]! * 10;
        } else {
          high[i] = c[i]!; // failed: weaken the penalty
          c[i] = low[i]! > 0 ? (c[i]! + low[i]!) / 2 : c[i]! / 10;
        }
      }
    }
    return tf.tensor(best, x.shape);
  }
}
