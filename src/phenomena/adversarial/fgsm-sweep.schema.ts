import { z } from "zod";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { measuredNumber } from "../details.js";

export const fgsmSweepSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** The models attacked, each trained from scratch on the same data. Names softmax, mlp and cnn carry the criteria. */
  models: z
    .array(z.strictObject({ name: z.string().min(1).max(40), model: modelSpec }))
    .min(1)
    .max(8)
    .default([
      { name: "softmax", model: { kind: "mlp", hidden: [], activation: "relu", init: "xavier", dropout: 0 } },
      { name: "mlp", model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 } },
      { name: "cnn", model: { kind: "cnn", filters: [32, 64], kernelSize: 5, padding: "same", dense: [128], activation: "relu", init: "he", dropout: 0 } },
    ]),
  train: trainSpec.prefault({}),
  attack: z
    .strictObject({
      /** L-infinity budgets in [0, 1] pixel units, as in the papers (no input normalization). */
      epsilons: z.array(z.number().min(0).max(1)).min(1).max(32).default([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]),
      /** How many test digits are attacked (the first of the seeded test subset). */
      examples: z.number().int().min(10).max(10000).default(2000),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 2a: MLP error at eps 0.1 (the PyTorch FGSM tutorial's CNN already reaches ~15%; MLPs are weaker). */
      mlpErrorAt01: z.number().min(0).max(1).default(0.5),
      /** Goodfellow et al. 2015: maxout net 89.4% error at eps 0.25. */
      mlpErrorAt025: z.number().min(0).max(1).default(0.9),
      /** Goodfellow et al. 2015: shallow softmax 99.9% error at eps 0.25. */
      softmaxErrorAt025: z.number().min(0).max(1).default(0.95),
      /** CNNs resist more (tutorial LeNet: ~79% error at 0.25): docs/criteria.md's CNN criterion. */
      cnnErrorAt025: z.number().min(0).max(1).default(0.7),
      /** Adversarial error at least this multiple of same-size random sign noise error (eps 0.1 and 0.25). */
      noiseRatio: z.number().min(1).max(1000).default(3),
      /** Goodfellow et al. 2015: wrong answers at 79.3% (softmax) and 97.6% (maxout) mean confidence. */
      wrongConfidence: z.number().min(0).max(1).default(0.7),
    })
    .prefault({}),
  saveArtifacts: z.boolean().default(true),
});

export type FgsmSweepConfig = z.output<typeof fgsmSweepSchema>;

/** What the sweep's figure reads: one row per model and epsilon. */
export const fgsmSweepDetails = z.object({
  sweep: z.array(z.object({ model: z.string(), epsilon: measuredNumber, error: measuredNumber, noiseError: measuredNumber, wrongConfidence: measuredNumber })),
});
export type FgsmSweepDetails = z.output<typeof fgsmSweepDetails>;
