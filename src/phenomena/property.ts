/**
 * A property is a typed module: `src/phenomena/<property>/index.ts` exports one of these, and the registry, the tour's
 * stops, the lab's tabs and the README's property list are derived from the list in properties.ts. Adding a property
 * is a folder of experiments, its index.ts, and one line in that list.
 */
import type { ExperimentDefinition } from "./experiment.js";

export interface PropertyModule {
  /** The `property` of every experiment in it, e.g. "adversarial". */
  id: string;
  /** Its number in the mission (0 for the baseline that every property departs from). */
  number: number;
  /** Short name, e.g. "Dumb errors". */
  name: string;
  /** One line: what the property shows. */
  title: string;
  /** The question a reader brings to it. */
  question: string;
  /**
   * The seven surprises of the mission, the ones found since ("beyond the seven"), the plain baseline, or a tool that
   * measures a user's model rather than a claim (`inspect`).
   */
  group: "foundation" | "seven" | "beyond" | "tool";
  /** The experiment the tour runs for it: the one that shows it most convincingly. */
  tourExperiment: string | null;
  experiments: ExperimentDefinition[];
}

/** Any experiment, whatever its schema (a schema-specific definition is not assignable to the generic one). */
type AnyExperiment = Pick<ExperimentDefinition, "id" | "property">;

/** Checks what the type cannot: every experiment names this property, and the tour's experiment is one of them. */
export function defineProperty(input: Omit<PropertyModule, "experiments"> & { experiments: AnyExperiment[] }): PropertyModule {
  const module = input as PropertyModule;
  for (const e of module.experiments) {
    if (e.property !== module.id) throw new Error(`experiment ${e.id} says property "${e.property}" but is listed in property "${module.id}"`);
  }
  if (module.tourExperiment !== null && !module.experiments.some((e) => e.id === module.tourExperiment)) {
    throw new Error(`property ${module.id}: its tour experiment ${module.tourExperiment} is not one of its experiments`);
  }
  return module;
}
