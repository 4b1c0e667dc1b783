import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";

/** docs/criteria.md 5c: a 784-256-256-10 teacher with dropout and +-2 px jitter (Hinton's 2 x 1200 is too slow here). */
export const teacherSpec = z
  .strictObject({
    model: modelSpec.default({ kind: "mlp", hidden: [256, 256], activation: "relu", init: "he", dropout: 0.5 }),
    jitter: z.number().int().min(0).max(8).default(2),
    train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 20 }).prefault({}),
  })
  .prefault({});

export const distillationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  teacher: teacherSpec,
  /** Students: docs/criteria.md 5c: 784-30-10 with T = 3 and 784-100-10 with T in 8-20. */
  students: z
    .array(z.strictObject({ name: z.string().min(1).max(40), hidden: z.array(z.number().int().min(1).max(65536)).max(8), temperature: z.number().positive().max(100) }))
    .min(1)
    .max(6)
    .default([
      { name: "small", hidden: [30], temperature: 3 },
      { name: "medium", hidden: [100], temperature: 8 },
    ]),
  studentTrain: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 20 }).prefault({}),
  /** Weight of the hard-label term next to T^2 x the soft term (docs/criteria.md: about 0.1-0.5). */
  hardWeight: z.number().min(0).max(10).default(0.2),
  claim: z
    .strictObject({
      /** docs/criteria.md 5c: distilled error <= 0.85 x the hard-label student's (Hinton: 146 -> 74 errors, x0.51) ... */
      errorRatio: z.number().min(0).max(10).default(0.85),
      /** ... and at least 30% of the teacher-student gap recovered (Hinton: 91%). */
      gapRecovered: z.number().min(0).max(1).default(0.3),
    })
    .prefault({}),
});

export type DistillationConfig = z.output<typeof distillationSchema>;
