/** Every experiment quirklab can run, by id. */
import type { ExperimentDefinition } from "./experiment.js";
import { baseline } from "./baseline/experiment.js";
import { fgsmSweep } from "./adversarial/fgsm-sweep.js";

export const experiments: ExperimentDefinition[] = [baseline, fgsmSweep] as unknown as ExperimentDefinition[];

export function findExperiment(id: string): ExperimentDefinition | undefined {
  return experiments.find((e) => e.id === id);
}
