import { z } from "zod";
import { dataSpec } from "../data.js";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";

export const adversarialTrainingSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  model: modelSpec.prefault({ kind: "mlp", hidden: [256] }),
  train: trainSpec.prefault({}),
  /** Training budget (Goodfellow et al.: 0.25; docs/criteria.md allows 0.1-0.2 if a small MLP cannot fit). */
  epsilon: z.number().min(0).max(1).default(0.25),
  attack: z
    .strictObject({
      examples: z.number().int().min(10).max(10000).default(2000),
      /** PGD inside the same ball: docs/criteria.md suggests 40 steps of 0.01. */
      pgdSteps: z.number().int().min(1).max(1000).default(40),
      pgdStepsize: z.number().positive().max(1).default(0.01),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** Goodfellow et al. 2015: FGSM error fell from 89.4% to 17.9%; docs/criteria.md asks <= 30%. */
      maxFgsmError: z.number().min(0).max(1).default(0.3),
      /** Adversarial training may cost at most this much clean error (docs/criteria.md: +1 pp). */
      maxCleanErrorIncrease: z.number().min(0).max(1).default(0.01),
    })
    .prefault({}),
});
export type AdversarialTrainingConfig = z.output<typeof adversarialTrainingSchema>;
