/** The data section every experiment's config shares, and its loading: seeded train and test subsets by size. */
import { z } from "zod";
import { ConfigError, DataError } from "../core/errors.js";
import { randomSubset } from "../data/transforms.js";
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
export function subsetOfSize(full: Dataset, size: number, field: string, stream: Parameters<typeof randomSubset>[2]): Dataset {
  if (size > full.n) {
    throw new ConfigError(`${field} is ${size}, but ${full.name} holds only ${full.n} examples`, `set it to at most ${full.n}: --set ${field}=${full.n}`);
  }
  return randomSubset(full, size, stream);
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

/** Train and test subsets drawn from the run's `data` stream (train first, then test, always in that order). */
export async function loadSplits(ctx: Pick<ExperimentContext, "streams" | "data">, data: DataConfig): Promise<{ train: Dataset; test: Dataset }> {
  const stream = ctx.streams.get("data");
  const fullTrain = await ctx.data.load(data.dataset, "train");
  const fullTest = await ctx.data.load(data.dataset, "test");
  checkSplitsMatch(fullTrain, fullTest);
  const train = subsetOfSize(fullTrain, data.trainSize, "data.trainSize", stream);
  const test = subsetOfSize(fullTest, data.testSize, "data.testSize", stream);
  return { train, test };
}
