/**
 * A network that memorized random labels and one that learned true labels both fit their training set perfectly.
 * Are they equally compressible? Morcos et al. 2018 found memorizing networks far more fragile when units are
 * ablated; here the two are compared by magnitude pruning (no retraining) and by distillation into a small student,
 * both measured on what each network fitted: its own training set and labels.
 */
import { randomLabels } from "../../data/transforms.js";
import type { Dataset } from "../../data/dataset.js";
import { evaluate, predictClasses } from "../../training/evaluate.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel, trainNamedModelWithHistory } from "../../analysis/train-named.js";
import { distillPlugin } from "../../analysis/compression/distill.js";
import { allLogits } from "./distillation.js";
import { applyMask, magnitudeMask } from "../../analysis/compression/prune.js";
import { fitWatcher } from "./randomization.js";
import { compressibilitySchema, type CompressibilityConfig } from "./compressibility.schema.js";
import { compressibilityClaim } from "./compressibility.claim.js";
import { ConfigError } from "../../core/errors.js";

const TEACHERS = ["generalizer", "memorizer"] as const;
type Teacher = (typeof TEACHERS)[number];
const LABEL: Record<Teacher, string> = { generalizer: "true labels (generalizer)", memorizer: "random labels (memorizer)" };

/** The share of a net's above-chance training accuracy that survives: (acc − chance) / (dense acc − chance). */
export function retainedAboveChance(accuracy: number, dense: number, classes: number): number {
  const chance = 1 / classes;
  return dense > chance ? (accuracy - chance) / (dense - chance) : Number.NaN;
}

/** The index of each row's largest value (first on ties, as tf.argMax). */
function argmaxRows(values: Float32Array, columns: number): Int32Array {
  const out = new Int32Array(values.length / columns);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < columns; c++) if (values[r * columns + c]! > values[r * columns + best]!) best = c;
    out[r] = best;
  }
  return out;
}

export const compressibility = defineExperiment({
  id: "compressibility",
  title: "Memorizers do not compress: pruning and distilling a random-label net",
  property: "memorization",
  description: "A true-label and a random-label net, both fitted; magnitude pruning and distillation into a small student, measured on what each fitted.",
  schema: compressibilitySchema,
  presets: {
    quick: {
      data: { trainSize: 1000, testSize: 1000 },
      model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 },
      train: { epochs: 150, lr: 0.02 },
      sparsities: [0.5, 0.9],
      studentTrain: { epochs: 40 },
    },
    standard: {},
  },
  claim: compressibilityClaim,
  figures: (r, config) => compressibilityFigures(r.metrics, config),
  async run(config, ctx) {
    if (!config.sparsities.includes(config.claim.at)) throw new ConfigError(`claim.at (${config.claim.at}) must be one of sparsities [${config.sparsities.join(", ")}]`, `add ${config.claim.at} to sparsities, or set claim.at to one of them`);
    const { train, test } = await loadSplits(ctx, config.data);
    const sets: Record<Teacher, Dataset> = { generalizer: train, memorizer: randomLabels(train, ctx.streams.get("noise/random-labels")) };
    const metrics: Record<string, number> = {};
    let step = 0;
    const total = TEACHERS.length * 2;
    for (const teacher of TEACHERS) {
      const data = sets[teacher];
      const watcher = fitWatcher(config.fitAccuracy, true);
      // Same initialization and data order for both teachers: only the labels differ.
      const { model } = await trainNamedModelWithHistory(ctx, teacher, config.model, data, { ...config.train, evalTrain: true }, { initFrom: "teacher", orderFrom: "teacher", test, plugins: [watcher] });
      try {
        const dense = evaluate(model, data).accuracy;
        metrics[`${teacher}.trainAccuracy`] = dense;
        metrics[`${teacher}.testAccuracy`] = evaluate(model, test).accuracy;
        if (watcher.fittedAt !== undefined) metrics[`${teacher}.epochsToFit`] = watcher.fittedAt;
        const weights = model.getFlat();
        for (const s of config.sparsities) {
          applyMask(model, magnitudeMask(model, s, "global"));
          const acc = evaluate(model, data).accuracy;
          metrics[`${teacher}.pruned@${s}`] = acc;
          metrics[`${teacher}.retained@${s}`] = retainedAboveChance(acc, dense, data.classes);
          model.setFlat(weights);
        }
        ctx.progress({ phase: "teachers", step: ++step, total, detail: `${teacher}: fitted ${(dense * 100).toFixed(1)}%, pruned to ${config.claim.at}: ${((metrics[`${teacher}.pruned@${config.claim.at}`] ?? Number.NaN) * 100).toFixed(1)}%` });
        // The student sees the teacher's inputs and soft outputs only; fidelity is agreement with the teacher's answers.
        const teacherLogits = allLogits(model, data);
        const teacherAnswers = argmaxRows(teacherLogits, data.classes);
        const student = await trainNamedModel(ctx, `student of ${teacher}`, config.student, data, config.studentTrain, {
          initFrom: "student",
          orderFrom: "student",
          plugins: [distillPlugin(teacherLogits, data.classes, { temperature: config.temperature, hardWeight: 0 })],
        });
        try {
          const answers = predictClasses(student, data);
          let same = 0;
          answers.forEach((a, i) => (same += a === teacherAnswers[i] ? 1 : 0));
          metrics[`${teacher}.studentFidelity`] = same / data.n;
          metrics[`${teacher}.studentTestAccuracy`] = evaluate(student, test).accuracy;
        } finally {
          student.dispose();
        }
        ctx.progress({ phase: "teachers", step: ++step, total, detail: `student of ${teacher}: agrees on ${((metrics[`${teacher}.studentFidelity`] ?? 0) * 100).toFixed(1)}% of the training set` });
      } finally {
        model.dispose();
      }
    }
    return { metrics };
  },
});

function compressibilityFigures(metrics: Record<string, number>, config: CompressibilityConfig): FigureSpec[] {
  return [
    {
      kind: "line",
      id: "pruning",
      title: "What survives magnitude pruning (no retraining)",
      caption: "Share of each net's above-chance accuracy on its own training labels that remains.",
      x: "fraction of kernel weights pruned",
      y: "retained above-chance training accuracy",
      series: TEACHERS.map((t) => ({ name: LABEL[t], points: config.sparsities.map((s): [number, number] => [s, metrics[`${t}.retained@${s}`] ?? Number.NaN]) })),
    },
    {
      kind: "bar",
      id: "distillation",
      title: "How much of each teacher a small student reproduces",
      caption: "Agreement of the distilled student with its teacher's answers on the training set.",
      x: "teacher",
      y: "student agreement with teacher",
      bars: TEACHERS.map((t) => ({ label: LABEL[t], value: metrics[`${t}.studentFidelity`] ?? Number.NaN })),
    },
  ];
}
