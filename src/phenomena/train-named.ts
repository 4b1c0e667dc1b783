/**
 * One of several models of an experiment, built and trained from streams named after it (init/<name>,
 * data-order/<name>, dropout/<name>): adding or reordering models never changes another model's draws.
 */
import type { Dataset } from "../data/dataset.js";
import { buildModel, type ModelSpec } from "../models/builders.js";
import type { Sequential } from "../models/sequential.js";
import { train } from "../training/loop.js";
import type { TrainConfig } from "../training/schema.js";
import type { ExperimentContext } from "./experiment.js";

/** Builds and trains the model; disposes it if training fails. */
export async function trainNamedModel(ctx: ExperimentContext, name: string, spec: ModelSpec, data: Dataset, config: TrainConfig): Promise<Sequential> {
  const model = buildModel(spec, { input: data.shape, classes: data.classes }, ctx.streams.get(`init/${name}`));
  try {
    await train(model, data, config, {
      order: ctx.streams.get(`data-order/${name}`),
      dropout: ctx.streams.get(`dropout/${name}`),
      signal: ctx.signal,
      onStep: (s, t) => ctx.progress({ phase: "train", step: s, total: t }),
      onEpoch: (m) => ctx.emit({ type: "epoch", model: name, ...m }),
    });
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
