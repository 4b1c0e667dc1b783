/**
 * How easily a model is fooled: its error under FGSM and PGD (L-infinity) at growing epsilon, under random sign noise of
 * the same size (the control: if noise hurts as much, the attack found nothing special), and DeepFool's minimal L2
 * perturbation on the examples it classifies correctly. Every figure is re-measured on the model, never taken from an
 * attack's word (attacks/base.ts).
 */
import { tf } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { throwIfInterrupted } from "../../core/interrupt.js";
import { LinfFgsm, LinfPgd } from "../attacks/linf.js";
import { DeepFool } from "../attacks/minimization.js";
import { ATTACK_CHUNK, forEachChunk, outcome, randomSignNoise } from "../attacks/measure.js";
import { select } from "../../data/dataset.js";

export interface RobustnessOptions {
  epsilons: number[];
  pgdSteps: number;
  /** Examples DeepFool attacks (the first ones of `data` it classifies correctly). */
  deepfoolExamples: number;
  deepfoolSteps: number;
  signal?: AbortSignal;
  onStep?(done: number, total: number): void;
}

export interface RobustnessProfile {
  epsilons: number[];
  /** Error (fraction of all examples misclassified) per epsilon. */
  fgsm: number[];
  pgd: number[];
  noise: number[];
  deepfool: {
    attacked: number;
    /** Share of the attacked examples DeepFool flipped within its steps. */
    success: number;
    /** Median L2 norm of the successful perturbations, and the median of norm / ||x||. */
    medianL2: number;
    medianRelative: number;
  };
}

function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function robustnessProfile(model: Sequential, data: Dataset, streams: { attack: Rng; noise: Rng }, options: RobustnessOptions): Promise<RobustnessProfile> {
  const { epsilons } = options;
  const fgsm = new Array<number>(epsilons.length).fill(0);
  const pgd = new Array<number>(epsilons.length).fill(0);
  const noise = new Array<number>(epsilons.length).fill(0);
  const chunks = Math.ceil(data.n / ATTACK_CHUNK);
  let done = 0;
  const total = chunks * 2 + 1;
  for (const [attack, errors] of [
    [new LinfFgsm(), fgsm],
    [new LinfPgd({ steps: options.pgdSteps }), pgd],
  ] as const) {
    await forEachChunk(data, ATTACK_CHUNK, (x, labels) => {
      throwIfInterrupted(options.signal);
      const results = attack.call(model, x, { kind: "misclassification", labels }, epsilons, streams.attack);
      results.forEach((r, k) => {
        errors[k]! += outcome(model, r.clipped, labels).error * labels.length;
        if (attack instanceof LinfFgsm) {
          const noisy = randomSignNoise(x, r.epsilon, streams.noise);
          noise[k]! += outcome(model, noisy, labels).error * labels.length;
          noisy.dispose();
        }
        tf.dispose([r.raw, r.clipped]);
      });
      options.onStep?.(++done, total);
    });
  }
  for (const errors of [fgsm, pgd, noise]) for (let k = 0; k < errors.length; k++) errors[k]! /= data.n;

  // DeepFool on correctly classified examples: a minimal perturbation of an already wrong answer is zero
  const all = tf.tensor2d(data.x, [data.n, data.x.length / data.n]);
  const clean = outcome(model, all, data.y);
  all.dispose();
  const correct: number[] = [];
  for (let i = 0; i < data.n && correct.length < options.deepfoolExamples; i++) if (clean.predictions[i] === data.y[i]) correct.push(i);
  const attacked = select(data, Int32Array.from(correct), "deepfool");
  const distances: number[] = [];
  const relative: number[] = [];
  if (attacked.n > 0) {
    const size = attacked.x.length / attacked.n;
    const x = tf.tensor2d(attacked.x, [attacked.n, size]);
    const deepfool = new DeepFool("l2", { steps: options.deepfoolSteps });
    const best = deepfool.minimize(model, x, { kind: "misclassification", labels: attacked.y });
    const flipped = outcome(model, best, attacked.y).predictions;
    const values = best.dataSync() as Float32Array;
    for (let i = 0; i < attacked.n; i++) {
      if (flipped[i] === attacked.y[i]) continue;
      let d2 = 0;
      let x2 = 0;
      for (let j = 0; j < size; j++) {
        const xi = attacked.x[i * size + j]!;
        d2 += (values[i * size + j]! - xi) ** 2;
        x2 += xi * xi;
      }
      distances.push(Math.sqrt(d2));
      relative.push(Math.sqrt(d2) / Math.max(1e-12, Math.sqrt(x2)));
    }
    tf.dispose([x, best]);
  }
  options.onStep?.(total, total);
  return {
    epsilons,
    fgsm,
    pgd,
    noise,
    deepfool: { attacked: attacked.n, success: attacked.n ? distances.length / attacked.n : Number.NaN, medianL2: median(distances), medianRelative: median(relative) },
  };
}
