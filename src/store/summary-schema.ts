/**
 * What a summary.json must hold to be read back. Every reader of a run folder goes through these, so a truncated or
 * hand-edited file stops with the file's path and the fix instead of a SyntaxError or a TypeError far away.
 */
import { readFileSync, existsSync } from "node:fs";
import { z } from "zod";
import { QuirkError } from "../core/errors.js";
import type { AggregateSummary, RunSummary } from "./summary.js";

/** A run folder's file that exists but cannot be used: `fix` says what to do about it. */
export class RunFileError extends QuirkError {
  constructor(
    readonly path: string,
    readonly problem: string,
    hint: string,
  ) {
    super(`${path}: ${problem}`, hint);
  }
}

// JSON has no NaN: a NaN metric is written as null and read back as NaN.
const metricValue = z.number().nullable().transform((v) => (v === null ? Number.NaN : v));
const status = z.enum(["running", "complete", "interrupted", "failed"]);
const verdict = z.looseObject({ reproduced: z.boolean(), measured: metricValue, threshold: metricValue, note: z.string() });
const claim = z.looseObject({ statement: z.string(), citation: z.string() });
const timing = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

const common = {
  runId: z.string().min(1),
  experiment: z.string().min(1),
  status,
  quirklabVersion: z.string(),
  preset: z.string(),
  config: z.record(z.string(), z.unknown()),
  backend: z.string(),
  claim: claim.optional(),
  verdict: verdict.optional(),
  timing,
};

export const runSummarySchema = z.looseObject({
  ...common,
  kind: z.literal("run"),
  seed: z.number().int().nonnegative(),
  metrics: z.record(z.string(), metricValue),
  details: z.record(z.string(), z.unknown()).optional(),
  error: z.looseObject({ name: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
  data: z.record(z.string(), z.string()).optional(),
  subsets: z.record(z.string(), z.string()).optional(),
});

const statsSummary = z.looseObject({
  n: z.number(),
  mean: metricValue,
  sd: metricValue,
  ci95: z.tuple([metricValue, metricValue]),
  min: metricValue,
  max: metricValue,
  values: z.array(metricValue),
});

export const aggregateSummarySchema = z.looseObject({
  ...common,
  kind: z.literal("aggregate"),
  seeds: z.array(z.number().int().nonnegative()),
  runs: z.array(z.string()),
  metrics: z.record(z.string(), statsSummary),
});

const anySummarySchema = z.discriminatedUnion("kind", [runSummarySchema, aggregateSummarySchema]);

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : "(top level)";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return `field ${field}: ${issue.message}${more}`;
}

export const SUMMARY_FIX = "the run folder is damaged: run the same command again with --force to redo the run, or delete the folder";

/** Parses a summary file's text; throws RunFileError naming the file. */
export function parseSummary(path: string, text: string, fix = SUMMARY_FIX): RunSummary | AggregateSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(path, `not valid JSON (${(error as Error).message}; the file may have been cut short)`, fix);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new RunFileError(path, "does not hold a JSON object", fix);
  const kind = (raw as { kind?: unknown }).kind;
  if (kind !== "run" && kind !== "aggregate") throw new RunFileError(path, `is not a quirklab run summary (kind is ${JSON.stringify(kind)}, expected "run" or "aggregate")`, fix);
  const parsed = anySummarySchema.safeParse(raw);
  if (!parsed.success) throw new RunFileError(path, `is not a valid ${kind === "run" ? "run" : "aggregate"} summary: ${describe(parsed.error)}`, fix);
  return parsed.data as RunSummary | AggregateSummary;
}

/** The summary at `path`, validated; null when there is no file. */
export function readSummary(path: string, fix?: string): RunSummary | AggregateSummary | null {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new RunFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "check the folder's permissions");
  }
  return parseSummary(path, text, fix);
}

/** A single run's summary (not an aggregate), validated. */
export function readRunSummary(path: string, fix?: string): RunSummary | null {
  const s = readSummary(path, fix);
  if (s && s.kind !== "run") throw new RunFileError(path, "is an aggregate over seeds, not a single run", "pass one of the runs listed in its `runs` field");
  return s as RunSummary | null;
}
