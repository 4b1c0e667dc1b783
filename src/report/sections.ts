/**
 * What a report says about one run: claim, verdict, interpretation, deviations, figures, config, metrics — gathered
 * from the run's summary and its experiment's definition. No file access here.
 */
import type { FigureSpec } from "../phenomena/experiment.js";
import { findExperiment } from "../phenomena/registry.js";
import { assess, judgement, type Assessment } from "../phenomena/assess.js";
import type { RunSummary } from "../store/summary.js";
import { paperComparison, type PaperComparisonRow } from "../phenomena/paper-figures.js";

/** The assessment's parts, with the verdict as recorded in summary.json. */
export interface ReportSection extends Assessment {
  runId: string;
  experiment: string;
  title: string;
  property: string;
  status: RunSummary["status"];
  preset: string;
  seed: number;
  backend: string;
  seconds?: number;
  config: Record<string, unknown>;
  metrics: Record<string, number>;
  error?: { message: string; hint?: string };
  /** The cited papers' own figures beside this run's (the claim's `paperFigures`). */
  paperFigures: PaperComparisonRow[];
}

export function sectionFor(summary: RunSummary): ReportSection {
  const def = findExperiment(summary.experiment);
  const config = summary.config;
  const complete = summary.status === "complete";
  // the verdict is the one recorded in summary.json; figures and words come from the same assessment a run makes
  const assessment = def && complete ? assess(def, config, { metrics: summary.metrics, ...(summary.details ? { details: summary.details } : {}) }) : null;
  const figures: FigureSpec[] = assessment?.figures ?? [];
  const interpretation = assessment?.interpretation;
  const seconds = summary.timing.seconds;
  return {
    runId: summary.runId,
    experiment: summary.experiment,
    title: def?.title ?? summary.experiment,
    property: def?.property ?? "unknown",
    status: summary.status,
    preset: summary.preset,
    seed: summary.seed,
    backend: summary.backend,
    ...(typeof seconds === "number" ? { seconds } : {}),
    ...(summary.claim ? { claim: summary.claim } : {}),
    ...judgement(summary),
    ...(interpretation ? { interpretation } : {}),
    ...(def?.claim?.deviations ? { deviations: def.claim.deviations } : {}),
    paperFigures: paperComparison(def?.claim?.paperFigures, summary.metrics),
    ...(assessment?.findings ? { findings: assessment.findings } : {}),
    figures,
    config,
    metrics: summary.metrics,
    ...(summary.error ? { error: { message: summary.error.message, ...(summary.error.hint ? { hint: summary.error.hint } : {}) } } : {}),
  };
}

/** One row of the verdict table (terminal, HTML, Markdown and summary.json all use these rows). */
export interface VerdictRow {
  property: string;
  experiment: string;
  claim: string;
  measured: number | null;
  threshold: number | null;
  reproduced: boolean | null;
  status: RunSummary["status"];
  seconds: number | null;
  runId: string;
}

export function verdictRow(section: ReportSection): VerdictRow {
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  return {
    property: section.property,
    experiment: section.experiment,
    claim: section.claim?.statement ?? "",
    measured: finite(section.verdict?.measured),
    threshold: finite(section.verdict?.threshold),
    reproduced: section.verdict ? section.verdict.reproduced : null,
    status: section.status,
    seconds: section.seconds ?? null,
    runId: section.runId,
  };
}
