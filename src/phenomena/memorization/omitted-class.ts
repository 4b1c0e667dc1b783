/**
 * Experiment 5d (Hinton, Vinyals & Dean 2015, "omitted 3"): a student distilled from a teacher's soft targets on a
 * transfer set without a single 3 still learns what a 3 is — from the probability the teacher gives "3" on other
 * digits. Its 3-logit is too low, so one additive bias is tuned — on held-out training digits, not on the test set
 * as Hinton did (docs/criteria.md §5 pitfalls). The control, trained on the same transfer set's labels, cannot.
 */
import { select, type Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { distillPlugin } from "../../analysis/compression/distill.js";
import { allLogits, trainTeacher } from "./distillation.js";
import { omittedClassSchema } from "./omitted-class.schema.js";
import { pct, omittedClassClaim } from "./omitted-class.claim.js";

/** Accuracy overall and on one class, with `bias` added to that class's logit. */
function scores(logits: Float32Array, data: Dataset, cls: number, bias: number): { accuracy: number; classAccuracy: number } {
  const k = data.classes;
  let right = 0;
  let classRight = 0;
  let classCount = 0;
  for (let i = 0; i < data.n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[i * k + c]! + (c === cls ? bias : 0) > logits[i * k + best]! + (best === cls ? bias : 0)) best = c;
    const label = data.y[i]!;
    if (best === label) right++;
    if (label === cls) {
      classCount++;
      if (best === label) classRight++;
    }
  }
  return { accuracy: right / data.n, classAccuracy: classCount ? classRight / classCount : Number.NaN };
}

/** The bias on the grid with the best accuracy on `data` (the smallest such bias). */
export function tuneBias(logits: Float32Array, data: Dataset, cls: number, grid: { max: number; step: number }): number {
  let best = { bias: 0, accuracy: -1 };
  for (let k = 0; k * grid.step <= grid.max + 1e-9; k++) {
    const bias = Number((k * grid.step).toFixed(6));
    const { accuracy } = scores(logits, data, cls, bias);
    if (accuracy > best.accuracy) best = { bias, accuracy };
  }
  return best.bias;
}

export const omittedClass = defineExperiment({
  id: "omitted-class",
  title: "Compress: distil without a single 3",
  property: "memorization",
  description: "Distils a teacher into a student on a transfer set without any 3; tunes one bias on held-out digits; compares with a student trained on the same labels.",
  schema: omittedClassSchema,
  presets: {
    quick: { data: { trainSize: 3000, testSize: 1000 }, validationSize: 500, teacher: { train: { epochs: 8 } }, studentTrain: { epochs: 8 } },
    standard: {},
  },
  claim: omittedClassClaim,
  figures: (r, config) => [
    {
      kind: "bar",
      id: "omitted-accuracy",
      title: `Test accuracy on the ${config.omitted}s, which no student saw`,
      caption: "Before and after raising the omitted class's logit by the bias tuned on held-out training digits.",
      x: "model",
      y: `accuracy on test ${config.omitted}s`,
      bars: [
        { label: "teacher (saw them)", value: r.metrics["teacher.omittedAccuracy"] ?? Number.NaN, group: "teacher" },
        { label: "labels", value: r.metrics["control.omittedAccuracy"] ?? Number.NaN, group: "before" },
        { label: "labels + bias", value: r.metrics["control.omittedAccuracyTuned"] ?? Number.NaN, group: "tuned" },
        { label: "distilled", value: r.metrics["distilled.omittedAccuracy"] ?? Number.NaN, group: "before" },
        { label: "distilled + bias", value: r.metrics["distilled.omittedAccuracyTuned"] ?? Number.NaN, group: "tuned" },
      ],
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const held = Math.min(config.validationSize, Math.floor(train.n / 4));
    const validation = select(train, Int32Array.from({ length: held }, (_, i) => i), "validation");
    const rest = Array.from({ length: train.n - held }, (_, i) => held + i).filter((i) => train.y[i] !== config.omitted);
    const transfer = select(train, Int32Array.from(rest), `without-${config.omitted}`);
    const metrics: Record<string, number> = { transferSize: transfer.n };
    // The teacher learns from every training digit but the held-out ones, 3s included.
    const teacherSet = select(train, Int32Array.from({ length: train.n - held }, (_, i) => held + i), "teacher");
    const teacher = await trainTeacher(ctx, config.teacher, teacherSet);
    let transferLogits: Float32Array;
    try {
      const teacherScores = scores(allLogits(teacher, test), test, config.omitted, 0);
      metrics["teacher.testAccuracy"] = teacherScores.accuracy;
      metrics["teacher.omittedAccuracy"] = teacherScores.classAccuracy;
      transferLogits = allLogits(teacher, transfer);
    } finally {
      teacher.dispose();
    }
    const spec = { kind: "mlp" as const, hidden: config.student.hidden, activation: "relu" as const, init: "he" as const, dropout: 0 };
    for (const variant of ["control", "distilled"] as const) {
      // Same initialization and data order: only the targets differ.
      const model: Sequential = await trainNamedModel(ctx, variant, spec, transfer, config.studentTrain, {
        initFrom: "student",
        orderFrom: "student",
        plugins: variant === "distilled" ? [distillPlugin(transferLogits, transfer.classes, { temperature: config.student.temperature, hardWeight: config.hardWeight })] : [],
      });
      try {
        const testLogits = allLogits(model, test);
        const bias = tuneBias(allLogits(model, validation), validation, config.omitted, config.biasGrid);
        const before = scores(testLogits, test, config.omitted, 0);
        const after = scores(testLogits, test, config.omitted, bias);
        metrics[`${variant}.bias`] = bias;
        metrics[`${variant}.testAccuracy`] = before.accuracy;
        metrics[`${variant}.testAccuracyTuned`] = after.accuracy;
        metrics[`${variant}.omittedAccuracy`] = before.classAccuracy;
        metrics[`${variant}.omittedAccuracyTuned`] = after.classAccuracy;
      } finally {
        model.dispose();
      }
      ctx.progress({ phase: "students", step: variant === "control" ? 1 : 2, total: 2, detail: `${variant}: ${pct(metrics[`${variant}.omittedAccuracy`])} of the ${config.omitted}s, ${pct(metrics[`${variant}.omittedAccuracyTuned`])} after +${metrics[`${variant}.bias`]}` });
    }
    return { metrics };
  },
});
