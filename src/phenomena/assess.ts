/**
 * What a claim makes of measured figures: the verdict, what the numbers mean, where the protocol departs from the
 * paper, and the figures to draw. One function, so the run folder, the in-memory (browser) run, the seed aggregate and
 * the report can never judge the same numbers differently.
 */
import { paperComparison, type PaperComparisonRow } from "./paper-figures.js";
import { isPlainObject } from "../core/merge.js";
import type { Claim, ExperimentDefinition, FigureSpec, Finding, Verdict } from "./experiment.js";
import { boundMove, collectChecks } from "./verdict-kit.js";

export interface Measured {
  metrics: Record<string, number>;
  details?: Record<string, unknown>;
}

/** A claim threshold a preset, a config file or --set moved away from the value the schema defines. */
export interface ThresholdChange {
  field: string;
  value: unknown;
  schemaDefault: unknown;
  /**
   * What the change does to the bounds it feeds, found by judging the same figures with the field at its schema value:
   * "relaxed" (every figure that passed still passes), "tightened", or "mixed". Absent when it moves no bound a check
   * states (a setting such as which depth counts as deep, or a criterion written with checkThat).
   */
  direction?: "relaxed" | "tightened" | "mixed";
}

export interface Assessment {
  claim?: { statement: string; citation: string };
  verdict?: Verdict;
  /** Thresholds that differ from the schema's: a verdict judged against them says so. */
  changedThresholds?: ThresholdChange[];
  /** With changed thresholds: the verdict on the same figures against the claim's own (the schema's) thresholds. */
  reproducedAtOwnThresholds?: boolean;
  interpretation?: string;
  deviations?: string;
  /** The claim's paper figures beside this run's metrics (absent when the claim has none). */
  paperFigures?: PaperComparisonRow[];
  /** What an experiment without a claim found, part by part (ExperimentDefinition.findings). */
  findings?: Finding[];
  figures: FigureSpec[];
}

export function assess(def: ExperimentDefinition, config: unknown, measured: Measured): Assessment {
  const claim = def.claim;
  const details = checkedDetails(def, measured.details);
  const forFigures = { metrics: measured.metrics, ...(details !== undefined ? { details } : {}) };
  const interpretation = claim?.interpret?.(measured.metrics, config as never);
  const ownClaim = claim ? schemaClaim(def) : undefined;
  const changed = claim ? withDirections(claim, measured.metrics, config, changedThresholds(ownClaim, config)) : [];
  const own = changed.length && isPlainObject(config) ? { ...config, claim: ownClaim } : null;
  return {
    ...(claim
      ? {
          claim: { statement: claim.statement, citation: claim.citation },
          verdict: claim.verdict(measured.metrics, config as never),
          ...(changed.length ? { changedThresholds: changed } : {}),
          ...(own ? { reproducedAtOwnThresholds: claim.verdict(measured.metrics, own as never).reproduced } : {}),
          ...(interpretation ? { interpretation } : {}),
          ...(claim.deviations ? { deviations: claim.deviations } : {}),
          ...(claim.paperFigures?.length ? { paperFigures: paperComparison(claim.paperFigures, measured.metrics) } : {}),
        }
      : {}),
    ...(def.findings ? { findings: def.findings(forFigures, config as never) } : {}),
    figures: def.figures?.(forFigures, config as never) ?? [],
  };
}

/**
 * A run's details in the shape its experiment declares, or undefined when they are absent or do not match (a summary
 * from another version): figures drawn from a wrong shape would be wrong figures.
 */
export function checkedDetails(def: Pick<ExperimentDefinition, "details">, details: Record<string, unknown> | undefined): unknown {
  if (details === undefined) return undefined;
  if (!def.details) return details;
  const parsed = def.details.safeParse(details);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The `claim` fields of a config that differ from `reference`, the schema's own (the thresholds the paper's figures set), so
 * a verdict reached against a relaxed threshold can never pass for one reached against the claim's own.
 */
export function changedThresholds(reference: unknown, config: unknown): ThresholdChange[] {
  const given = isPlainObject(config) ? config.claim : undefined;
  if (!isPlainObject(given) || !isPlainObject(reference)) return [];
  const out: ThresholdChange[] = [];
  const walk = (a: Record<string, unknown>, b: Record<string, unknown>, path: string) => {
    for (const key of Object.keys(a)) {
      const field = `${path}.${key}`;
      const [x, y] = [a[key], b[key]];
      if (isPlainObject(x) && isPlainObject(y)) walk(x, y, field);
      else if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ field, value: x, schemaDefault: y });
    }
  };
  walk(given, reference, "claim");
  return out;
}

/** Each change with the direction it moves the bounds of the checks (see ThresholdChange.direction). */
function withDirections(claim: Claim<never>, metrics: Record<string, number>, config: unknown, changes: ThresholdChange[]): ThresholdChange[] {
  if (!changes.length) return changes;
  const given = collectChecks(() => claim.verdict(metrics, config as never)).checks;
  return changes.map((change) => {
    const own = collectChecks(() => claim.verdict(metrics, withField(config, change.field, change.schemaDefault) as never)).checks;
    if (own.length !== given.length) return change;
    const moves = given.flatMap((c, i) => {
      const o = own[i]!.bound;
      return c.bound && o ? [boundMove(c.bound, o)] : [];
    }).filter((m) => m !== "same");
    if (!moves.length) return change;
    const direction = moves.every((m) => m === "relaxed") ? "relaxed" : moves.every((m) => m === "tightened") ? "tightened" : "mixed";
    return { ...change, direction };
  });
}

/** A copy of `config` with the dotted `field` set to `value`. */
function withField(config: unknown, field: string, value: unknown): unknown {
  const [head, ...rest] = field.split(".");
  if (!isPlainObject(config) || head === undefined) return config;
  return { ...config, [head]: rest.length ? withField(config[head], rest.join("."), value) : value };
}

/** The claim fields as the schema defines them: the thresholds the paper's figures set. */
function schemaClaim(def: ExperimentDefinition): unknown {
  const defaults = def.schema.safeParse({});
  return defaults.success && isPlainObject(defaults.data) ? defaults.data.claim : undefined;
}

/** The verdict and its threshold flags, as summary.json and an aggregate record them. */
export function judgement(a: Pick<Assessment, "verdict" | "changedThresholds" | "reproducedAtOwnThresholds">): Pick<Assessment, "verdict" | "changedThresholds" | "reproducedAtOwnThresholds"> {
  return {
    ...(a.verdict ? { verdict: a.verdict } : {}),
    ...(a.changedThresholds?.length ? { changedThresholds: a.changedThresholds } : {}),
    ...(a.reproducedAtOwnThresholds !== undefined ? { reproducedAtOwnThresholds: a.reproducedAtOwnThresholds } : {}),
  };
}

/**
 * "claim.minTestAccuracy 0.85 (the claim's own: 0.975); against the claim's own thresholds: NOT reproduced", for
 * notes and reports.
 */
export function describeThresholdChanges(changes: ThresholdChange[], reproducedAtOwn?: boolean): string {
  const fields = changes.map((c) => `${c.field} ${JSON.stringify(c.value)} (${c.direction ? `${c.direction}; ` : ""}the claim's own: ${JSON.stringify(c.schemaDefault)})`).join("; ");
  return reproducedAtOwn === undefined ? fields : `${fields}; against the claim's own thresholds: ${reproducedAtOwn ? "reproduced" : "NOT reproduced"}`;
}
