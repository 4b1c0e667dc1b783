/**
 * What a claim makes of measured figures: the verdict, what the numbers mean, where the protocol departs from the
 * paper, and the figures to draw. One function, so the run folder, the in-memory (browser) run, the seed aggregate and
 * the report can never judge the same numbers differently.
 */
import type { ExperimentDefinition, FigureSpec, Verdict } from "./experiment.js";

export interface Measured {
  metrics: Record<string, number>;
  details?: Record<string, unknown>;
}

/** A claim threshold a preset, a config file or --set moved away from the value the schema defines. */
export interface ThresholdChange {
  field: string;
  value: unknown;
  schemaDefault: unknown;
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
  figures: FigureSpec[];
}

export function assess(def: ExperimentDefinition, config: unknown, measured: Measured): Assessment {
  const claim = def.claim;
  const forFigures = { metrics: measured.metrics, ...(measured.details ? { details: measured.details } : {}) };
  const interpretation = claim?.interpret?.(measured.metrics, config as never);
  const changed = claim ? changedThresholds(def, config) : [];
  const own = changed.length ? ownThresholdsConfig(def, config) : null;
  return {
    ...(claim
      ? {
          claim: { statement: claim.statement, citation: claim.citation },
          verdict: claim.verdict(measured.metrics, config as never),
          ...(changed.length ? { changedThresholds: changed } : {}),
          ...(own ? { reproducedAtOwnThresholds: claim.verdict(measured.metrics, own as never).reproduced } : {}),
          ...(interpretation ? { interpretation } : {}),
          ...(claim.deviations ? { deviations: claim.deviations } : {}),
        }
      : {}),
    figures: def.figures?.(forFigures, config as never) ?? [],
  };
}

/**
 * The `claim` fields of a config that differ from the schema's defaults (the thresholds the paper's figures set), so
 * a verdict reached against a relaxed threshold can never pass for one reached against the claim's own.
 */
export function changedThresholds(def: ExperimentDefinition, config: unknown): ThresholdChange[] {
  const defaults = def.schema.safeParse({});
  const given = (config as { claim?: unknown } | null)?.claim;
  const reference = defaults.success ? (defaults.data as { claim?: unknown }).claim : undefined;
  if (!isObject(given) || !isObject(reference)) return [];
  const out: ThresholdChange[] = [];
  const walk = (a: Record<string, unknown>, b: Record<string, unknown>, path: string) => {
    for (const key of Object.keys(a)) {
      const field = `${path}.${key}`;
      if (isObject(a[key]) && isObject(b[key])) walk(a[key] as Record<string, unknown>, b[key] as Record<string, unknown>, field);
      else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push({ field, value: a[key], schemaDefault: b[key] });
    }
  };
  walk(given, reference, "claim");
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The config with its claim fields put back to the schema's: the same run judged against the claim's own thresholds. */
function ownThresholdsConfig(def: ExperimentDefinition, config: unknown): unknown {
  const defaults = def.schema.safeParse({});
  if (!defaults.success || !isObject(config)) return null;
  return { ...config, claim: (defaults.data as { claim?: unknown }).claim };
}

/**
 * "claim.minTestAccuracy 0.85 (the claim's own: 0.975); against the claim's own thresholds: NOT reproduced", for
 * notes and reports.
 */
export function describeThresholdChanges(changes: ThresholdChange[], reproducedAtOwn?: boolean): string {
  const fields = changes.map((c) => `${c.field} ${JSON.stringify(c.value)} (the claim's own: ${JSON.stringify(c.schemaDefault)})`).join("; ");
  return reproducedAtOwn === undefined ? fields : `${fields}; against the claim's own thresholds: ${reproducedAtOwn ? "reproduced" : "NOT reproduced"}`;
}
