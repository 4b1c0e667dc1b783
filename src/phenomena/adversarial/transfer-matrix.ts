/**
 * Experiment 2c: adversarial examples transfer. FGSM examples crafted on each model (rows) are fed to every model
 * (columns): the N x N matrix of error rates. Models differ in seed, width, depth, architecture, and two of them (A, B)
 * are trained on disjoint halves of the data (Szegedy et al. 2014, Tables 2-4; Goodfellow et al. 2015).
 */
import { tf } from "../../engine/tf.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { select } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { transferDetails, transferSchema } from "./transfer-matrix.schema.js";
import { LinfFgsm } from "../../analysis/attacks/linf.js";
import { ATTACK_CHUNK, firstExamples, forEachChunk, outcome, randomSignNoise } from "../../analysis/attacks/measure.js";
import { transferFigures } from "./figures.js";
import { key, transferClaim } from "./transfer-matrix.claim.js";

export const transferMatrix = defineExperiment({
  id: "transfer-matrix",
  title: "Adversarial examples transfer across models",
  property: "adversarial",
  description: "FGSM examples crafted on each of N models, evaluated on all N: the matrix of error rates.",
  schema: transferSchema,
  presets: {
    quick: {
      data: { trainSize: 4000, testSize: 500 },
      train: { epochs: 5, batchSize: 64 },
      attack: { examples: 500 },
      models: [
        { name: "A", half: "first", model: { kind: "mlp", hidden: [128], activation: "relu", init: "he", dropout: 0 } },
        { name: "B", half: "second", model: { kind: "mlp", hidden: [128], activation: "relu", init: "he", dropout: 0 } },
        { name: "deep", half: "all", model: { kind: "mlp", hidden: [64, 64], activation: "relu", init: "he", dropout: 0 } },
      ],
      // 2k digits per half instead of 4k: docs/criteria.md's 6% clean error is for 4k; a 128-unit MLP on 2k lands near 8-10%
      claim: { maxCleanErrorB: 0.12 },
    },
    standard: {},
    // Szegedy et al. 2014's Tables 3-4 set-up: P1 and P2 are the two disjoint 30k halves of the 60k training set;
    // FC100-100-10 (sigmoid, weight decay 1e-5) on each, FC123-456-10 on P1; beside them Goodfellow's kind of net
    // (2 x 1200 ReLU with dropout, standing in for maxout) and the FGSM tutorial's LeNet, both on all 60k.
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      train: { optimizer: "adam", lr: 0.001, epochs: 20, batchSize: 128, weightDecay: 1e-5 },
      attack: { examples: 10000 },
      models: [
        { name: "A", half: "first", model: { kind: "mlp", hidden: [100, 100], activation: "sigmoid", init: "xavier", dropout: 0 } },
        { name: "B", half: "second", model: { kind: "mlp", hidden: [100, 100], activation: "sigmoid", init: "xavier", dropout: 0 } },
        { name: "A-123-456", half: "first", model: { kind: "mlp", hidden: [123, 456], activation: "sigmoid", init: "xavier", dropout: 0 } },
        { name: "mlp-1200", half: "all", model: { kind: "mlp", hidden: [1200, 1200], activation: "relu", init: "he", dropout: 0.5 } },
        { name: "cnn", half: "all", model: { kind: "cnn", filters: [10, 20], kernelSize: 5, padding: "valid", dense: [50], activation: "relu", init: "he", dropout: 0.5 } },
      ],
    },
  },
  claim: transferClaim,
  details: transferDetails,
  figures: (r) => transferFigures(r.details),
  async run(config, ctx) {
    const { train: trainSet, test: testSet } = await loadSplits(ctx, config.data);
    const half = Math.floor(trainSet.n / 2);
    const halves = {
      all: trainSet,
      first: select(trainSet, Int32Array.from({ length: half }, (_, i) => i), "first-half"),
      second: select(trainSet, Int32Array.from({ length: trainSet.n - half }, (_, i) => half + i), "second-half"),
    };
    const attacked = firstExamples(testSet, config.attack.examples);
    const models: Sequential[] = [];
    const metrics: Record<string, number> = {};
    try {
      for (const [index, entry] of config.models.entries()) {
        models.push(await trainNamedModel(ctx, entry.name, entry.model, halves[entry.half], config.train));
        ctx.progress({ phase: "model", step: index + 1, total: config.models.length, detail: `${entry.name} trained on ${halves[entry.half].n} digits` });
      }
      const attack = new LinfFgsm();
      const errors = config.models.map(() => new Float64Array(config.models.length));
      const clean = new Float64Array(config.models.length);
      // the control row: random +-epsilon sign noise of the same size, fed to every model
      const noise = new Float64Array(config.models.length);
      await forEachChunk(attacked, ATTACK_CHUNK, (x, labels) => {
        const count = labels.length;
        models.forEach((target, j) => (clean[j]! += outcome(target, x, labels).error * count));
        const noisy = randomSignNoise(x, config.attack.epsilon, ctx.streams.get("noise"));
        models.forEach((target, j) => (noise[j]! += outcome(target, noisy, labels).error * count));
        noisy.dispose();
        for (const [i, source] of models.entries()) {
          const [r] = attack.call(source, x, { kind: "misclassification", labels }, [config.attack.epsilon], ctx.streams.get("attack"));
          models.forEach((target, j) => (errors[i]![j]! += outcome(target, r!.clipped, labels).error * count));
          tf.dispose([r!.raw, r!.clipped]);
        }
      });
      const names = config.models.map((m) => m.name);
      names.forEach((to, j) => {
        metrics[`clean.${to}`] = clean[j]! / attacked.n;
        metrics[`noise.${to}`] = noise[j]! / attacked.n;
      });
      const matrix = names.map((from, i) =>
        names.map((to, j) => {
          const value = errors[i]![j]! / attacked.n;
          metrics[key(from, to)] = value;
          return value;
        }),
      );
      ctx.emit({ type: "matrix", rows: names, columns: names, errors: matrix });
      await ctx.artifacts.write("matrix.json", JSON.stringify({ epsilon: config.attack.epsilon, rows: names, columns: names, errors: matrix, clean: Array.from(clean, (c) => c / attacked.n), noise: Array.from(noise, (c) => c / attacked.n) }, null, 1));
      return { metrics, details: { matrix, names, attackedExamples: attacked.n } };
    } finally {
      models.forEach((m) => m.dispose());
    }
  },
});
