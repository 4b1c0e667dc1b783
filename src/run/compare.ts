/** Runs side by side: the union of their metrics, one column per run, and their verdicts. */
import type { RunSummary } from "../store/summary.js";

export interface Comparison {
  runs: { runId: string; experiment: string; preset: string; seed: number; backend: string; reproduced: boolean | null }[];
  /** metric -> one value per run (null where a run lacks it). */
  metrics: Record<string, (number | null)[]>;
}

export function compareRuns(summaries: RunSummary[]): Comparison {
  const keys = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  return {
    runs: summaries.map((s) => ({ runId: s.runId, experiment: s.experiment, preset: s.preset, seed: s.seed, backend: s.backend, reproduced: s.verdict ? s.verdict.reproduced : null })),
    metrics: Object.fromEntries(keys.map((k) => [k, summaries.map((s) => (k in s.metrics ? s.metrics[k]! : null))])),
  };
}
