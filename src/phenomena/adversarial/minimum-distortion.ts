/**
 * Experiment 2b (Szegedy et al. 2014, Table 1): every test digit has a nearby adversarial example. The smallest
 * perturbation found by the box-constrained penalty attack (targeted at the most likely wrong class), its RMS size,
 * the same with DeepFool, and Gaussian noise of the same RMS as the control.
 */
import { checkpoint } from "../../core/interrupt.js";
import { tf } from "../../engine/tf.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { DeepFool, LbfgsBox } from "../../analysis/attacks/minimization.js";
import { isSuccessful } from "../../analysis/attacks/base.js";
import { firstExamples } from "../../analysis/attacks/measure.js";
import { makeBatch, disposeBatch } from "../../training/batches.js";
import { minimumDistortionSchema } from "./minimum-distortion.schema.js";
import { minimumDistortionClaim } from "./minimum-distortion.claim.js";

/** RMS distance per example between two [N, d] tensors. */
function rmsDistances(a: tf.Tensor, b: tf.Tensor): Float32Array {
  return tf.tidy(() => Float32Array.from(tf.sqrt(tf.mean(tf.square(tf.sub(a, b)), 1)).dataSync()));
}

export const minimumDistortion = defineExperiment({
  id: "minimum-distortion",
  title: "Adversarial examples are close: minimum distortion",
  property: "adversarial",
  description: "Szegedy's box-constrained penalty attack and DeepFool find the smallest perturbation that changes each test digit's class; Gaussian noise of the same size as control.",
  schema: minimumDistortionSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 500 }, train: { epochs: 8 }, examples: 50, attack: { searches: 6, steps: 50 } },
    standard: {},
  },
  claim: minimumDistortionClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "min-distortion",
      title: "Mean RMS distortion of the smallest adversarial perturbation found",
      x: "attack",
      y: "RMS distortion (pixels in [0, 1])",
      bars: [
        { label: "penalty (Szegedy)", value: r.metrics["lbfgs.meanRms"] ?? Number.NaN },
        { label: "DeepFool (L2)", value: r.metrics["deepfool.meanRms"] ?? Number.NaN },
      ],
      rules: [{ y: 0.058, label: "Szegedy et al. FC100-100-10: 0.058" }],
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const model = await trainNamedModel(ctx, "net", config.model, train, config.train);
    try {
      const attacked = firstExamples(test, config.examples);
      const batch = makeBatch(attacked, Int32Array.from({ length: attacked.n }, (_, i) => i), "labels");
      const metrics: Record<string, number> = {};
      try {
        const labels = Int32Array.from(attacked.y);
        const wrong = isSuccessful(model, batch.x, { kind: "misclassification", labels });
        const correct = Array.from(wrong, (w, i) => (w ? -1 : i)).filter((i) => i >= 0);
        metrics.cleanError = 1 - correct.length / attacked.n;
        const x = tf.gather(batch.x, correct);
        const y = Int32Array.from(correct, (i) => labels[i]!);
        // target: the most likely wrong class
        const targets = tf.tidy(() => {
          const logits = model.predict(x);
          const masked = tf.where(tf.cast(tf.oneHot(tf.tensor1d(y, "int32"), logits.shape[1]!), "bool"), tf.fill(logits.shape, -1e9), logits);
          return Int32Array.from(tf.argMax(masked, 1).dataSync());
        });
        const attacks = [
          { key: "lbfgs", attack: new LbfgsBox(config.attack), criterion: { kind: "targeted" as const, targets } },
          { key: "deepfool", attack: new DeepFool("l2"), criterion: { kind: "misclassification" as const, labels: y } },
        ];
        let lbfgsRms: Float32Array | undefined;
        for (const [index, a] of attacks.entries()) {
          await checkpoint(ctx.signal); // an attack itself runs to its end: a Ctrl-C stops the run between attacks
          const adv = a.attack.minimize(model, x, a.criterion, ctx.streams.get("attack"));
          const ok = isSuccessful(model, adv, a.criterion);
          const rms = rmsDistances(adv, x);
          const hits = Array.from(ok).filter((v) => v === 1).length;
          metrics[`${a.key}.success`] = hits / ok.length;
          metrics[`${a.key}.meanRms`] = Array.from(rms).reduce((s, v, i) => s + (ok[i] ? v : 0), 0) / Math.max(1, hits);
          if (a.key === "lbfgs") lbfgsRms = rms;
          adv.dispose();
          ctx.progress({ phase: "attack", step: index + 1, total: attacks.length, detail: `${a.attack}: success ${(metrics[`${a.key}.success`]! * 100).toFixed(1)}%, RMS ${metrics[`${a.key}.meanRms`]!.toFixed(4)}` });
        }
        // Control: Gaussian noise with each example's own penalty-attack RMS.
        const rng = ctx.streams.get("noise");
        const d = x.shape[1]!;
        const noise = new Float32Array(x.size);
        for (let i = 0; i < y.length; i++) for (let j = 0; j < d; j++) noise[i * d + j] = rng.normal(0, lbfgsRms![i]!);
        const noisy = tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor2d(noise, x.shape as [number, number])), 0, 1));
        const flipped = isSuccessful(model, noisy, { kind: "misclassification", labels: y });
        metrics["noise.error"] = Array.from(flipped).filter((v) => v === 1).length / flipped.length;
        tf.dispose([x, noisy]);
      } finally {
        disposeBatch(batch);
      }
      return { metrics };
    } finally {
      model.dispose();
    }
  },
});
