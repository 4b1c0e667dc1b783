/**
 * The one executor: runs an experiment with a context and assesses what it measured. The run folder (runner.ts), the
 * in-memory run of the browser lab and the library (memory-run.ts) are output targets of it. Browser-safe.
 */
import type { ExperimentContext, ExperimentDefinition, ExperimentResult } from "../phenomena/experiment.js";
import { assess, type Assessment } from "../phenomena/assess.js";

export type Execution = ExperimentResult & Assessment;

export async function execute(def: ExperimentDefinition, config: Record<string, unknown>, ctx: ExperimentContext): Promise<Execution> {
  const result = await def.run(config, ctx);
  return { ...result, ...assess(def, config, result) };
}
