/** Every experiment quirklab can run, by id: the property modules' experiments, in the order of the properties. */
import type { ExperimentDefinition } from "./experiment.js";
import { PROPERTY_MODULES } from "./properties.js";

export const experiments: ExperimentDefinition[] = PROPERTY_MODULES.flatMap((m) => m.experiments);

export function findExperiment(id: string): ExperimentDefinition | undefined {
  return experiments.find((e) => e.id === id);
}
