/**
 * One of several models of an experiment, built and trained from streams named after it (init/<name>,
 * data-order/<name>, dropout/<name>): adding or reordering models never changes another model's draws.
 * An experiment that wants two models to share a draw (same initialization, different data order) names the
 * stream to borrow explicitly.
 */
import type { Dataset } from "../data/dataset.js";
import { buildModel, type ModelSpec } from "../models/builders.js";
import type { Sequential } from "../models/sequential.js";
import { train, type TrainPlugin, type TrainResult } from "../training/loop.js";
import type { TrainConfig } from "../training/schema.js";
import type { TrainingContext } from "./context.js";

export interface NamedTrainingOptions {
  /** Take the initialization from the start of init/<initFrom> instead of init/<name>. */
  initFrom?: string;
  /** Take the data order from the start of data-order/<orderFrom> instead of data-order/<name>. */
  orderFrom?: string;
  /** Called with the freshly initialized model, before the first step (e.g. to keep its parameter vector). */
  onInit?: (model: Sequential) => void;
  test?: Dataset;
  plugins?: TrainPlugin[];
}

/** Builds and trains the model; disposes it if training fails. */
export async function trainNamedModel(
  ctx: TrainingContext,
  name: string,
  spec: ModelSpec,
  data: Dataset,
  config: TrainConfig,
  options: NamedTrainingOptions = {},
): Promise<Sequential> {
  return (await trainNamedModelWithHistory(ctx, name, spec, data, config, options)).model;
}

/** As trainNamedModel, also returning the per-epoch history. */
export async function trainNamedModelWithHistory(
  ctx: TrainingContext,
  name: string,
  spec: ModelSpec,
  data: Dataset,
  config: TrainConfig,
  options: NamedTrainingOptions = {},
): Promise<{ model: Sequential; result: TrainResult }> {
  const model = buildModel(spec, { input: data.shape, classes: data.classes }, options.initFrom ? ctx.streams.fresh(`init/${options.initFrom}`) : ctx.streams.get(`init/${name}`));
  try {
    options.onInit?.(model);
    const result = await train(model, data, config, {
      order: options.orderFrom ? ctx.streams.fresh(`data-order/${options.orderFrom}`) : ctx.streams.get(`data-order/${name}`),
      dropout: ctx.streams.get(`dropout/${name}`),
      signal: ctx.signal,
      ...(options.test ? { test: options.test } : {}),
      ...(options.plugins ? { plugins: options.plugins } : {}),
      onStep: (s, t) => ctx.progress({ phase: `train ${name}`, step: s, total: t, fine: true }),
      onEpoch: (m) => ctx.emit({ type: "epoch", model: name, ...m }),
    });
    await ctx.trained?.(name, model);
    return { model, result };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
