/** The data section every experiment's config shares, and its loading: seeded train and test subsets by size. */
import { z } from "zod";
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

/** Train and test subsets drawn from the run's `data` stream (train first, then test, always in that order). */
export async function loadSplits(ctx: Pick<ExperimentContext, "streams" | "data">, data: DataConfig): Promise<{ train: Dataset; test: Dataset }> {
  const stream = ctx.streams.get("data");
  const train = randomSubset(await ctx.data.load(data.dataset, "train"), data.trainSize, stream);
  const test = randomSubset(await ctx.data.load(data.dataset, "test"), data.testSize, stream);
  return { train, test };
}
