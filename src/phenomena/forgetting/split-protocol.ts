/** Split MNIST: the five digit-pair tasks, and the run of every strategy over them, for both scenarios (one head, a head per pair). */
import type { Dataset } from "../../data/dataset.js";
import { classSplit } from "../../data/transforms.js";
import type { ExperimentContext, ExperimentResult } from "../experiment.js";
import { loadSplits } from "../data.js";
import type { SplitConfig } from "./split-class-incremental.schema.js";
import { runStrategies, validationSplit, type TaskSets } from "./sequence.js";

function makeTasks(config: Pick<SplitConfig, "validationSize" | "groups">, pool: Dataset, test: Dataset): TaskSets {
  const { validation, fit } = validationSplit(pool, config.validationSize);
  // relabel = false: one 10-way head, the labels keep their digit (class-incremental)
  return {
    train: config.groups.map((g) => ({ ...classSplit(fit, g), name: `digits ${g.join("/")}` })),
    validation: config.groups.map((g) => classSplit(validation, g)),
    test: config.groups.map((g) => classSplit(test, g)),
  };
}

/** The digit pairs in sequence under every strategy; `heads` makes it task-incremental (a head per pair). */
export async function runSplit(config: Omit<SplitConfig, "claim"> & { heads?: number[][] }, ctx: ExperimentContext): Promise<ExperimentResult> {
  const { train: pool, test } = await loadSplits(ctx, config.data);
  return runStrategies(config, makeTasks(config, pool, test), ctx);
}
