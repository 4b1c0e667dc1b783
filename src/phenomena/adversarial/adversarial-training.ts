/**
 * Experiment 2d: FGSM adversarial training (Goodfellow et al. 2015). The same MLP is trained twice on the same data and
 * seed: plainly, and with J~ = a J(x) + (1 - a) J(x + eps sign grad J) at a = 0.5, the adversarial half regenerated
 * from the current weights at every minibatch. Both are then attacked with FGSM and with PGD (which FGSM-trained
 * models can mask their gradients against: Athalye et al. 2018, Wong et al. 2020).
 */
import { tf } from "../../engine/tf.js";
import { signStep } from "../../engine/fused-kernels.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits, saveModel } from "../data.js";
import { buildModel } from "../../models/builders.js";
import type { Sequential } from "../../models/sequential.js";
import { train, type TrainPlugin } from "../../training/loop.js";
import type { Batch } from "../../training/batches.js";
import { LinfFgsm, LinfPgd } from "../../analysis/attacks/linf.js";
import { attackerGradient, VALID_MAX, VALID_MIN, type FixedEpsilonAttack } from "../../analysis/attacks/base.js";
import { ATTACK_CHUNK, firstExamples, forEachChunk, outcome } from "../../analysis/attacks/measure.js";
import { adversarialTrainingFigures } from "./figures.js";
import { adversarialTrainingSchema } from "./adversarial-training.schema.js";
import { key, adversarialTrainingClaim } from "./adversarial-training.claim.js";

/** Appends the FGSM version of each batch, made against the current weights: the batch-mean loss is then 0.5 J(x) + 0.5 J(x_adv). */
export function fgsmTrainingPlugin(model: Sequential, epsilon: number): TrainPlugin {
  return {
    name: "fgsm-adversarial-training",
    beforeBatch(_state, batch): Batch {
      const labels = batch.y.dataSync() as Int32Array;
      const g = attackerGradient(model, batch.x, { kind: "misclassification", labels: Int32Array.from(labels) });
      const out = tf.tidy(() => {
        const adv = signStep(batch.x, g, epsilon, VALID_MIN, VALID_MAX);
        return { x: tf.concat([batch.x, adv], 0), y: tf.concat([batch.y, batch.y], 0) };
      });
      g.dispose();
      const indices = new Int32Array(batch.indices.length * 2);
      indices.set(batch.indices);
      indices.set(batch.indices, batch.indices.length);
      return { x: out.x, y: out.y, indices };
    },
  };
}

export const adversarialTraining = defineExperiment({
  id: "adversarial-training",
  title: "FGSM adversarial training, checked with PGD",
  property: "adversarial",
  description: "Trains the same MLP plainly and on FGSM examples; reports clean, FGSM and PGD error of both.",
  schema: adversarialTrainingSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 300 }, model: { kind: "mlp", hidden: [128] }, train: { epochs: 5, batchSize: 64 }, attack: { examples: 300, pgdSteps: 20 } },
    standard: {},
    // Goodfellow et al. 2015 Sec. 6 on all of MNIST: alpha 0.5, eps 0.25, every test digit attacked; a 2 x 1200 ReLU
    // MLP with dropout 0.5 stands in for their maxout net (2 x 240 units x 5 pieces; 1600 units in their best run).
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      model: { kind: "mlp", hidden: [1200, 1200], activation: "relu", init: "he", dropout: 0.5 },
      train: { optimizer: "adam", lr: 0.001, epochs: 10, batchSize: 128 },
      attack: { examples: 10000 },
    },
  },
  claim: adversarialTrainingClaim,
  figures: (r) => adversarialTrainingFigures(r.metrics),
  async run(config, ctx) {
    const { train: trainSet, test: testSet } = await loadSplits(ctx, config.data);
    const attacked = firstExamples(testSet, config.attack.examples);
    const attacks: Record<"fgsm" | "pgd", FixedEpsilonAttack> = {
      fgsm: new LinfFgsm(),
      pgd: new LinfPgd({ steps: config.attack.pgdSteps, absStepsize: config.attack.pgdStepsize }),
    };
    const metrics: Record<string, number> = {};
    for (const variant of ["plain", "adversarial"] as const) {
      // the same init and data order for both: the only difference is the adversarial half of each batch
      const model = buildModel(config.model, { input: trainSet.shape, classes: trainSet.classes }, ctx.streams.get("init").fork("model"));
      try {
        await train(model, trainSet, config.train, {
          order: ctx.streams.get("data-order").fork("order"),
          dropout: ctx.streams.get("dropout").fork("model"),
          signal: ctx.signal,
          plugins: variant === "adversarial" ? [fgsmTrainingPlugin(model, config.epsilon)] : [],
          onStep: (s, t) => ctx.progress({ phase: "train", step: s, total: t, fine: true }),
          onEpoch: (m) => ctx.emit({ type: "epoch", variant, ...m }),
        });
        const sums = { clean: 0, fgsm: 0, pgd: 0 };
        await forEachChunk(attacked, ATTACK_CHUNK, (x, labels) => {
          const count = labels.length;
          sums.clean += outcome(model, x, labels).error * count;
          for (const name of ["fgsm", "pgd"] as const) {
            const [r] = attacks[name].call(model, x, { kind: "misclassification", labels }, [config.epsilon], ctx.streams.get("attack"));
            sums[name] += outcome(model, r!.clipped, labels).error * count;
            tf.dispose([r!.raw, r!.clipped]);
          }
        });
        for (const what of ["clean", "fgsm", "pgd"] as const) metrics[key(variant, what)] = sums[what] / attacked.n;
        await saveModel(ctx, variant, model);
        ctx.progress({ phase: "variant", step: variant === "plain" ? 1 : 2, total: 2, detail: `${variant}: clean ${(metrics[key(variant, "clean")]! * 100).toFixed(1)}%, FGSM ${(metrics[key(variant, "fgsm")]! * 100).toFixed(1)}%, PGD ${(metrics[key(variant, "pgd")]! * 100).toFixed(1)}%` });
      } finally {
        model.dispose();
      }
    }
    return { metrics, details: { attacks: { fgsm: attacks.fgsm.toString(), pgd: attacks.pgd.toString() }, attackedExamples: attacked.n } };
  },
});
