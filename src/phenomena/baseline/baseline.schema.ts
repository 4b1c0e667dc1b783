import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { dataSpec } from "../data.js";

export const baselineSchema = z.strictObject({
  data: dataSpec({ trainSize: 60000, testSize: 10000 }),
  /** The MLP by default; `--set model.kind=cnn` trains the LeNet-style CNN instead. */
  model: modelSpec.prefault({ kind: "mlp" }),
  train: trainSpec.prefault({}),
  claim: z
    .strictObject({
      /**
       * Test accuracy the MLP must reach. Standard (60k examples): 97.5%, below the ~98% a 784-256-10 ReLU MLP
       * trained with Adam usually gets and above LeCun et al. 1998's 95.3% for 784-300-10 without distortions.
       * Quick (2k examples) overrides it to 85%: docs/criteria.md puts a 784-256-10 MLP at 96-97% with 8k examples and
       * logistic regression at ~90%; with a quarter of the data a few points lower is expected.
       */
      minTestAccuracy: z.number().min(0).max(1).default(0.975),
    })
    .prefault({}),
  saveModel: z.boolean().default(true),
});

export type BaselineConfig = z.output<typeof baselineSchema>;
