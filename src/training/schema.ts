/** The training part of every experiment's config: one schema, so CLI flags, the web form and run ids agree. */
import { z } from "zod";
import { LOSS_KINDS } from "../engine/loss.js";

export const OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam", "adamw"] as const;
export const SCHEDULES = ["constant", "step", "cosine", "linear"] as const;

export const trainSpec = z.strictObject({
  optimizer: z.enum(OPTIMIZERS).default("adam"),
  lr: z.number().positive().max(1e6).default(0.001),
  /** Momentum coefficient for momentum / nesterov. */
  momentum: z.number().min(0).max(0.999).default(0.9),
  beta1: z.number().min(0).max(0.9999).default(0.9),
  beta2: z.number().min(0).max(0.99999).default(0.999),
  epsilon: z.number().positive().max(1).default(1e-8),
  /** L2 penalty coefficient added to the gradient (decoupled for adamw). */
  weightDecay: z.number().min(0).max(1).default(0),
  batchSize: z.number().int().min(1).max(65536).default(128),
  epochs: z.number().int().min(1).max(10000).default(10),
  /** When set, train for exactly this many steps instead of whole epochs. */
  steps: z.number().int().min(1).max(10_000_000).optional(),
  schedule: z.enum(SCHEDULES).default("constant"),
  /** For the step schedule: multiply the rate by stepGamma every stepEvery epochs. */
  stepEvery: z.number().int().min(1).max(10000).default(10),
  stepGamma: z.number().positive().max(1).default(0.1),
  /** Linear warm-up from 0 over this many steps, before any schedule. */
  warmupSteps: z.number().int().min(0).max(1_000_000).default(0),
  loss: z.enum(LOSS_KINDS).default("softmax-ce"),
  /**
   * Stop with a divergence error when a batch loss exceeds this multiple of the first batch's loss (0: only NaN and
   * infinite losses stop). A stable log-softmax keeps an exploding run's loss finite, so NaN alone misses it.
   */
  divergenceFactor: z.number().min(0).max(1e30).default(1e4),
  /** Also measure loss and accuracy on the whole training set in evaluation mode after each epoch. */
  evalTrain: z.boolean().default(false),
});

export type TrainConfig = z.infer<typeof trainSpec>;

/**
 * The training schema with other defaults for some fields (an experiment whose protocol needs plain SGD, say).
 * Unlike `prefault`, a partial override such as `{ epochs: 5 }` keeps the other new defaults.
 */
export function trainSpecWith(defaults: Partial<TrainConfig>): typeof trainSpec {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const field = (trainSpec.shape as Record<string, z.ZodType>)[key];
    if (!field) throw new Error(`trainSpecWith: no training field "${key}"`);
    shape[key] = field.default(value as never);
  }
  return trainSpec.extend(shape) as unknown as typeof trainSpec;
}
