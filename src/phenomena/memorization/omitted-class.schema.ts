import { z } from "zod";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { teacherSpec } from "./distillation.schema.js";

export const omittedClassSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** The class left out of the transfer set (Hinton: 3). */
  omitted: z.number().int().min(0).max(9).default(3),
  teacher: teacherSpec,
  /** Training digits held out of the transfer set (all classes, the omitted one included) to tune the bias on. */
  validationSize: z.number().int().min(50).max(20000).default(1000),
  student: z
    .strictObject({
      hidden: z.array(z.number().int().min(1).max(65536)).max(8).default([100]),
      /** The distillation experiment's 100-unit student temperature (docs/criteria.md 5c: 8-20 for wider students). */
      temperature: z.number().positive().max(100).default(8),
    })
    .prefault({}),
  studentTrain: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 20 }).prefault({}),
  hardWeight: z.number().min(0).max(10).default(0.2),
  /** Candidate biases added to the omitted class's logit (Hinton's best was 3.5). */
  biasGrid: z.strictObject({ max: z.number().min(0).max(100).default(20), step: z.number().positive().max(10).default(0.25) }).prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 5d: >= 50% of the omitted digits right after the validation-tuned bias (paper: 98.6%). */
      omittedAccuracy: z.number().min(0).max(1).default(0.5),
      /** docs/criteria.md 5d: the hard-label control gets 0% of them (without tuning). */
      controlAccuracy: z.number().min(0).max(1).default(0),
    })
    .prefault({}),
});

export type OmittedClassConfig = z.output<typeof omittedClassSchema>;
