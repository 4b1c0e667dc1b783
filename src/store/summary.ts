/** The shape of summary.json: what a run measured, under which config and seed, and the verdict computed from it. */
import type { Verdict } from "../phenomena/experiment.js";
import type { ThresholdChange } from "../phenomena/assess.js";
import type { Summary } from "../core/stats.js";

export type RunStatus = "running" | "complete" | "interrupted" | "failed";

export interface RunSummary {
  runId: string;
  kind: "run";
  experiment: string;
  status: RunStatus;
  quirklabVersion: string;
  seed: number;
  preset: string;
  config: Record<string, unknown>;
  backend: string;
  /** The content fingerprint of each dataset the config names (part of the run id). */
  data?: Record<string, string>;
  metrics: Record<string, number>;
  claim?: { statement: string; citation: string };
  verdict?: Verdict;
  /** Claim thresholds this run's config moved away from the schema's (a preset or --set): the verdict is against them. */
  changedThresholds?: ThresholdChange[];
  /** The verdict on the same figures against the claim's own thresholds, when they were changed. */
  reproducedAtOwnThresholds?: boolean;
  details?: Record<string, unknown>;
  /**
   * The data subsets the run drew, by name ("train", "test", ...): each file's path inside the run folder, an IDX file
   * of int32 indices into the dataset's own split (docs/artifacts.md).
   */
  subsets?: Record<string, string>;
  error?: { name: string; message: string; hint?: string };
  /** Wall-clock figures: the only part that differs between two identical runs. */
  timing: Record<string, number | string>;
}

export interface AggregateSummary {
  runId: string;
  kind: "aggregate";
  experiment: string;
  status: RunStatus;
  quirklabVersion: string;
  seeds: number[];
  runs: string[];
  preset: string;
  config: Record<string, unknown>;
  backend: string;
  /** Every metric over the seeds: mean, sd and 95% interval of the mean. */
  metrics: Record<string, Summary>;
  claim?: { statement: string; citation: string };
  /** Computed on the mean of each metric over seeds. */
  verdict?: Verdict;
  changedThresholds?: ThresholdChange[];
  reproducedAtOwnThresholds?: boolean;
  timing: Record<string, number | string>;
}
