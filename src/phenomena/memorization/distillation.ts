/**
 * Experiment 5c (Hinton, Vinyals & Dean 2015): a big regularized teacher's soft outputs carry "dark knowledge" — a
 * small student trained on them beats the same student trained on the labels alone.
 */
import { z } from "zod";
import { tf } from "../../engine/tf.js";
import type { Dataset } from "../../data/dataset.js";
import type { ModelSpec } from "../../models/builders.js";
import type { Sequential } from "../../models/sequential.js";
import { makeBatch, disposeBatch } from "../../training/batches.js";
import { evaluate } from "../../training/evaluate.js";
import { jitterPlugin } from "../../training/augment.js";
import type { ExperimentContext } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { distillPlugin } from "../../analysis/compression/distill.js";
import { teacherSpec, distillationSchema } from "./distillation.schema.js";
import { distillationClaim } from "./distillation.claim.js";

/** Trains the regularized teacher (dropout, and jittered digits when `jitter` > 0). */
export function trainTeacher(ctx: ExperimentContext, teacher: z.output<typeof teacherSpec>, train: Dataset): Promise<Sequential> {
  const [h, w] = [train.shape[0]!, train.shape[1] ?? 1];
  return trainNamedModel(ctx, "teacher", teacher.model, train, teacher.train, {
    plugins: teacher.jitter > 0 ? [jitterPlugin(h, w, teacher.jitter, ctx.streams.get("jitter"))] : [],
  });
}

/** Logits of the model for every example (evaluation mode), n x classes. */
export function allLogits(model: Sequential, data: Dataset): Float32Array {
  const out = new Float32Array(data.n * data.classes);
  for (let start = 0; start < data.n; start += 1000) {
    const count = Math.min(1000, data.n - start);
    const batch = makeBatch(data, Int32Array.from({ length: count }, (_, i) => start + i), "labels");
    out.set(tf.tidy(() => model.predict(batch.x).dataSync() as Float32Array), start * data.classes);
    disposeBatch(batch);
  }
  return out;
}

export const distillation = defineExperiment({
  id: "distillation",
  title: "Compress: distilling a big net into a small one",
  property: "memorization",
  description: "Trains a regularized teacher, then small students on hard labels and on the teacher's soft targets (T^2-scaled), from the same init and data order.",
  schema: distillationSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, teacher: { train: { epochs: 8 } }, studentTrain: { epochs: 8 }, students: [{ name: "small", hidden: [30], temperature: 3 }] },
    standard: {},
    // Hinton et al. 2015 Sec. 3 on all 60,000 digits: a 2 x 1200 ReLU teacher with dropout and +-2 px jitter, a
    // 2 x 800 student at T = 20 (their 146 -> 74 errors) and a 2 x 30 student at T = 3 (their "T = 2.5-4 worked best").
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      teacher: { model: { kind: "mlp", hidden: [1200, 1200], activation: "relu", init: "he", dropout: 0.5 }, jitter: 2, train: { epochs: 20 } },
      students: [
        { name: "large", hidden: [800, 800], temperature: 20 },
        { name: "small", hidden: [30, 30], temperature: 3 },
      ],
      studentTrain: { epochs: 20 },
    },
  },
  claim: distillationClaim,
  figures: (r, config) => [
    {
      kind: "bar",
      id: "distillation",
      title: "Test error of the teacher and of each student trained on labels or on soft targets",
      x: "model",
      y: "test error",
      bars: [
        { label: "teacher", value: r.metrics.teacherError ?? Number.NaN, group: "teacher" },
        ...config.students.flatMap((s) => [
          { label: `${s.name}: labels`, value: r.metrics[`${s.name}.hardError`] ?? Number.NaN, group: "labels" },
          { label: `${s.name}: distilled`, value: r.metrics[`${s.name}.distilledError`] ?? Number.NaN, group: "distilled" },
        ]),
      ],
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const teacher = await trainTeacher(ctx, config.teacher, train);
    const metrics: Record<string, number> = {};
    let teacherLogits: Float32Array;
    try {
      metrics.teacherError = 1 - evaluate(teacher, test).accuracy;
      teacherLogits = allLogits(teacher, train);
    } finally {
      teacher.dispose();
    }
    for (const s of config.students) {
      const spec: ModelSpec = { kind: "mlp", hidden: s.hidden, activation: "relu", init: "he", dropout: 0 };
      for (const variant of ["hard", "distilled"] as const) {
        // Both variants from the same initialization and data order: only the targets differ.
        const model = await trainNamedModel(ctx, `${s.name}/${variant}`, spec, train, config.studentTrain, {
          initFrom: s.name,
          orderFrom: s.name,
          plugins: variant === "distilled" ? [distillPlugin(teacherLogits, train.classes, { temperature: s.temperature, hardWeight: config.hardWeight })] : [],
        });
        metrics[`${s.name}.${variant}Error`] = 1 - evaluate(model, test).accuracy;
        model.dispose();
      }
      const hard = metrics[`${s.name}.hardError`]!;
      const soft = metrics[`${s.name}.distilledError`]!;
      metrics[`${s.name}.gapRecovered`] = hard > metrics.teacherError! ? (hard - soft) / (hard - metrics.teacherError!) : 0;
      ctx.progress({ phase: "students", step: config.students.indexOf(s) + 1, total: config.students.length, detail: `${s.name}: ${(hard * 100).toFixed(2)}% -> ${(soft * 100).toFixed(2)}%` });
    }
    return { metrics };
  },
});
