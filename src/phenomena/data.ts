/** The data section every experiment's config shares, and its loading: seeded train and test subsets by size. */
import { z } from "zod";
import { ConfigError, DataError } from "../core/errors.js";
import { writeIdx } from "../core/idx.js";
import { toArtifacts } from "../models/io.js";
import type { Sequential } from "../models/sequential.js";
import { randomSubsetWithIndices } from "../data/transforms.js";
import type { Dataset } from "../data/dataset.js";
import type { ExperimentContext } from "./experiment.js";

/** A data config with an experiment's own default sizes. */
export function dataSpec(defaults: { trainSize: number; testSize: number }) {
  return z
    .strictObject({
      dataset: z.string().min(1).default("mnist"),
      trainSize: z.number().int().min(10).max(60000).default(defaults.trainSize),
      testSize: z.number().int().min(10).max(10000).default(defaults.testSize),
    })
    .prefault({});
}

export type DataConfig = z.output<ReturnType<typeof dataSpec>>;

/**
 * A subset of `size` examples of `full`, refusing a size the set cannot give: a config must describe what runs, and a
 * verdict "on 1000 test digits" must not come from 500.
 */
export function subsetOfSize(full: Dataset, size: number, field: string, stream: Parameters<typeof randomSubsetWithIndices>[2]): Dataset {
  return subsetOfSizeWithIndices(full, size, field, stream).subset;
}

/** subsetOfSize, and the indices into `full` it kept (what a run records so that another tool can redraw it). */
export function subsetOfSizeWithIndices(full: Dataset, size: number, field: string, stream: Parameters<typeof randomSubsetWithIndices>[2]): { subset: Dataset; indices: Int32Array } {
  if (size > full.n) {
    throw new ConfigError(`${field} is ${size}, but ${full.name} holds only ${full.n} examples`, `set it to at most ${full.n}: --set ${field}=${full.n}`);
  }
  return randomSubsetWithIndices(full, size, stream);
}

/**
 * Writes the indices of a subset a run drew into its artifacts, as `subsets/<name>-indices.idx` (IDX, int32, indices
 * into the dataset's own file of that split, ascending), so that the figures can be re-checked on exactly the same
 * examples in another framework. docs/artifacts.md describes the layout.
 */
export async function recordSubset(ctx: Partial<Pick<ExperimentContext, "artifacts">>, name: string, indices: Int32Array): Promise<void> {
  await ctx.artifacts?.write(`subsets/${name}-indices.idx`, writeIdx(indices, [indices.length]));
}

/** Train and test must be the same kind of example: same shape, same classes. */
export function checkSplitsMatch(train: Dataset, test: Dataset): void {
  if (train.shape.join("x") !== test.shape.join("x") || train.classes !== test.classes) {
    throw new DataError(
      `${train.name} holds ${train.shape.join("x")} examples of ${train.classes} classes, but ${test.name} holds ${test.shape.join("x")} of ${test.classes}`,
      "use train and test files of the same dataset",
    );
  }
}

/**
 * Train and test subsets drawn from the run's `data` stream (train first, then test, always in that order); their
 * indices go to the run's artifacts (subsets/train-indices.idx, subsets/test-indices.idx).
 */
export async function loadSplits(ctx: Pick<ExperimentContext, "streams" | "data"> & Partial<Pick<ExperimentContext, "artifacts">>, data: DataConfig): Promise<{ train: Dataset; test: Dataset }> {
  const stream = ctx.streams.get("data");
  const fullTrain = await ctx.data.load(data.dataset, "train");
  const fullTest = await ctx.data.load(data.dataset, "test");
  checkSplitsMatch(fullTrain, fullTest);
  const train = subsetOfSizeWithIndices(fullTrain, data.trainSize, "data.trainSize", stream);
  const test = subsetOfSizeWithIndices(fullTest, data.testSize, "data.testSize", stream);
  await recordSubset(ctx, "train", train.indices);
  await recordSubset(ctx, "test", test.indices);
  return { train: train.subset, test: test.subset };
}

/**
 * Writes a trained network into the run's artifacts as `models/<name>/model.json` + `weights.bin` (the tfjs layers
 * format: tf.loadLayersModel, `quirklab`'s own loadModel and Keras' tensorflowjs converter read it), so the figures
 * computed from it can be re-checked elsewhere. docs/artifacts.md describes the layout.
 */
export async function saveModel(ctx: Pick<ExperimentContext, "artifacts">, name: string, model: Sequential): Promise<void> {
  const { modelJson, weights } = toArtifacts(model);
  // model names are for people ("student of true-labels", "small/distilled"); folder names must be safe everywhere
  const folder = `models/${name.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
  await ctx.artifacts.write(`${folder}/model.json`, JSON.stringify(modelJson, null, 1));
  await ctx.artifacts.write(`${folder}/weights.bin`, weights);
}
