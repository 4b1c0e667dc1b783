/**
 * Experiment 2a: FGSM at growing L-infinity budgets on softmax regression, an MLP and a CNN trained on MNIST, with
 * the random-sign-noise control of the same size and the confidence of the wrong answers.
 */
import { tf } from "../../engine/tf.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits, saveModel } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { featureSize } from "../../data/dataset.js";
import { writeIdx } from "../../core/idx.js";
import { fgsmSweepDetails, fgsmSweepSchema } from "./fgsm-sweep.schema.js";
import { fgsmSweepClaim, metricKey } from "./fgsm-sweep.claim.js";
import { LinfFgsm } from "../../analysis/attacks/linf.js";
import { ATTACK_CHUNK, firstExamples, forEachChunk, outcome, randomSignNoise } from "../../analysis/attacks/measure.js";
import { fgsmSweepFigures } from "./figures.js";
import { imageGridPng } from "../../core/image-grid.js";

/** Adversarial examples saved per model, for other tools to re-check. */
const SAVED_EXAMPLES = 100;
/** Digits shown as clean / adversarial / perturbation triplets in the report. */
const TRIPLETS = 10;

/** Three rows of images: clean, adversarial, and the perturbation scaled to [-1, 1] (mid-gray is no change). */
function tripletGrid(clean: Float32Array, adversarial: Float32Array, size: number, shape: number[]): Uint8Array {
  const [h, w] = [shape[0]!, shape.length > 1 ? shape[1]! : 1];
  const n = clean.length / size;
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(clean.subarray(i * size, (i + 1) * size));
  for (let i = 0; i < n; i++) rows.push(adversarial.subarray(i * size, (i + 1) * size));
  let largest = 1e-6;
  for (let j = 0; j < clean.length; j++) largest = Math.max(largest, Math.abs(adversarial[j]! - clean[j]!));
  for (let i = 0; i < n; i++) rows.push(Float32Array.from({ length: size }, (_, j) => (adversarial[i * size + j]! - clean[i * size + j]!) / largest));
  return imageGridPng(rows, h, w, n, { zoom: 2, signedFrom: 2 * n });
}

export const fgsmSweep = defineExperiment({
  id: "fgsm-sweep",
  title: "Adversarial examples: the FGSM sweep",
  property: "adversarial",
  description: "Attacks softmax regression, an MLP and a CNN with FGSM at growing epsilon; compares with random sign noise of the same size.",
  schema: fgsmSweepSchema,
  presets: {
    quick: {
      data: { trainSize: 2000, testSize: 500 },
      train: { epochs: 4, batchSize: 64 },
      attack: { examples: 500, epsilons: [0, 0.1, 0.25] },
      models: [
        { name: "softmax", model: { kind: "mlp", hidden: [], activation: "relu", init: "xavier", dropout: 0 } },
        { name: "mlp", model: { kind: "mlp", hidden: [128], activation: "relu", init: "he", dropout: 0 } },
        { name: "cnn", model: { kind: "cnn", filters: [4, 8], kernelSize: 5, padding: "same", dense: [32], activation: "relu", init: "he", dropout: 0 } },
      ],
    },
    standard: {},
    // Goodfellow et al. 2015's setting as far as our layers go: the full 60k/10k split, every test digit attacked, and
    // nets trained to about 1% clean error. Their maxout MLP (2 x 240 units x 5 pieces, max-norm, input dropout)
    // is stood in for by a ReLU MLP of the same width in units (2 x 1200, dropout 0.5); the CNN is the PyTorch FGSM
    // tutorial's LeNet that the CNN criterion cites (10 and 20 valid 5x5 filters, 50 dense units, dropout 0.5).
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      train: { optimizer: "adam", lr: 0.001, epochs: 20, batchSize: 128 },
      attack: { examples: 10000 },
      models: [
        { name: "softmax", model: { kind: "mlp", hidden: [], activation: "relu", init: "xavier", dropout: 0 } },
        { name: "mlp", model: { kind: "mlp", hidden: [1200, 1200], activation: "relu", init: "he", dropout: 0.5 } },
        { name: "cnn", model: { kind: "cnn", filters: [10, 20], kernelSize: 5, padding: "valid", dense: [50], activation: "relu", init: "he", dropout: 0.5 } },
      ],
    },
  },
  claim: fgsmSweepClaim,
  details: fgsmSweepDetails,
  figures: (r) => fgsmSweepFigures(r.details),
  async run(config, ctx) {
    const { train: trainSet, test: testSet } = await loadSplits(ctx, config.data);
    const attacked = firstExamples(testSet, config.attack.examples);
    const size = featureSize(attacked);
    const attack = new LinfFgsm();
    const metrics: Record<string, number> = {};
    const table: Record<string, unknown>[] = [];
    const images: { title: string; caption: string; path: string }[] = [];
    let step = 0;
    const total = config.models.length;
    for (const entry of config.models) {
      const model = await trainNamedModel(ctx, entry.name, entry.model, trainSet, config.train);
      try {
        const errors = new Map<number, { adv: number; noise: number; confidenceSum: number; wrong: number }>();
        for (const eps of config.attack.epsilons) errors.set(eps, { adv: 0, noise: 0, confidenceSum: 0, wrong: 0 });
        const saved: Float32Array[] = [];
        const shown: { epsilon: number; clipped: Float32Array; predicted: string[] }[] = [];
        await forEachChunk(attacked, ATTACK_CHUNK, (x, labels, start) => {
          const count = labels.length;
          const results = attack.call(model, x, { kind: "misclassification", labels }, config.attack.epsilons, ctx.streams.get("attack"));
          for (const r of results) {
            const adv = outcome(model, r.clipped, labels);
            const noisy = randomSignNoise(x, r.epsilon, ctx.streams.get(`noise/${entry.name}`));
            const control = outcome(model, noisy, labels);
            const e = errors.get(r.epsilon)!;
            e.adv += adv.error * count;
            e.noise += control.error * count;
            if (!Number.isNaN(adv.wrongConfidence)) {
              const wrong = Math.round(adv.error * count);
              e.confidenceSum += adv.wrongConfidence * wrong;
              e.wrong += wrong;
            }
            if (start === 0 && r.epsilon === nearest(config.attack.epsilons, 0.1)) saved.push(Float32Array.from(r.clipped.dataSync()).subarray(0, SAVED_EXAMPLES * size));
            if (start === 0 && r.epsilon === nearest(config.attack.epsilons, 0.25)) shown.push({ epsilon: r.epsilon, clipped: Float32Array.from(r.clipped.dataSync()).subarray(0, TRIPLETS * size), predicted: Array.from(adv.predictions.slice(0, TRIPLETS), (p, i) => `${p} (${Math.round(adv.confidences[i]! * 100)}%)`) });
            tf.dispose([r.raw, r.clipped, noisy]);
          }
        });
        for (const [eps, e] of errors) {
          const row = {
            model: entry.name,
            epsilon: eps,
            error: e.adv / attacked.n,
            noiseError: e.noise / attacked.n,
            wrongConfidence: e.wrong ? e.confidenceSum / e.wrong : Number.NaN,
          };
          metrics[metricKey(entry.name, "error", eps)] = row.error;
          metrics[metricKey(entry.name, "noiseError", eps)] = row.noiseError;
          if (!Number.isNaN(row.wrongConfidence)) metrics[metricKey(entry.name, "wrongConfidence", eps)] = row.wrongConfidence;
          table.push(row);
          ctx.emit({ type: "point", ...row });
        }
        if (config.saveArtifacts) {
          await saveModel(ctx, entry.name, model);
          if (shown[0]) {
            const path = `images/${entry.name}-triplets.png`;
            await ctx.artifacts.write(path, tripletGrid(attacked.x.subarray(0, TRIPLETS * size), shown[0].clipped, size, attacked.shape));
            images.push({
              title: `${entry.name}: clean digits, FGSM at eps ${shown[0].epsilon}, and the perturbation`,
              caption: `Rows: clean (labels ${Array.from(attacked.y.subarray(0, TRIPLETS)).join(" ")}), adversarial (predicted, with the model's confidence: ${shown[0].predicted.join(", ")}), perturbation (gray = 0).`,
              path,
            });
          }
          if (saved[0]) {
            const n = saved[0].length / size;
            await ctx.artifacts.write(`adversarial/${entry.name}-images-idx3-float.idx`, writeIdx(saved[0], [n, ...attacked.shape.slice(0, 2)]));
            await ctx.artifacts.write(`adversarial/${entry.name}-labels-idx1-ubyte.idx`, writeIdx(Uint8Array.from(attacked.y.subarray(0, n)), [n]));
          }
        }
      } finally {
        model.dispose();
      }
      step++;
      const e25 = metrics[metricKey(entry.name, "error", nearest(config.attack.epsilons, 0.25))];
      ctx.progress({ phase: "model", step, total, detail: `${entry.name}: error at eps ${nearest(config.attack.epsilons, 0.25)} = ${e25 === undefined ? "-" : (e25 * 100).toFixed(1)}%` });
    }
    if (config.saveArtifacts) await ctx.artifacts.write("sweep.json", JSON.stringify(table, null, 1));
    return { metrics, details: { attack: attack.toString(), attackedExamples: attacked.n, sweep: table, images } };
  },
});

function nearest(values: number[], target: number): number {
  return values.reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), values[0]!);
}
