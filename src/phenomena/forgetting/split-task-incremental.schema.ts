import { z } from "zod";
import { STRATEGIES } from "./specs.js";
import { splitSchema } from "./split-class-incremental.schema.js";

/** Split MNIST with a head per task (the task is known at training and test time): van de Ven & Tolias's Task-IL. */
export const splitTaskSchema = splitSchema.extend({
  strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length).default(["naive", "ewc", "lwf", "joint"]),
  claim: z
    .strictObject({
      /**
       * van de Ven & Tolias 2019, Table 2 (Task-IL split MNIST): EWC 98.64% ± 0.22 (fine-tuning 87.19%, LwF 99.57%).
       * Our smaller net and plain SGD get a 3.6 pp margin: EWC's final average accuracy >= 95% ...
       */
      ewcAcc: z.number().min(0).max(1).default(0.95),
      /** ... and the earlier tasks are mostly kept even by fine-tuning (their 87.2%; class-incremental: 0%): >= 80%. */
      naiveAcc: z.number().min(0).max(1).default(0.8),
    })
    .prefault({}),
});

export type SplitTaskConfig = z.output<typeof splitTaskSchema>;
