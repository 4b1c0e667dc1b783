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

export interface Assessment {
  claim?: { statement: string; citation: string };
  verdict?: Verdict;
  interpretation?: string;
  deviations?: string;
  figures: FigureSpec[];
}

export function assess(def: ExperimentDefinition, config: unknown, measured: Measured): Assessment {
  const claim = def.claim;
  const forFigures = { metrics: measured.metrics, ...(measured.details ? { details: measured.details } : {}) };
  const interpretation = claim?.interpret?.(measured.metrics, config as never);
  return {
    ...(claim
      ? {
          claim: { statement: claim.statement, citation: claim.citation },
          verdict: claim.verdict(measured.metrics, config as never),
          ...(interpretation ? { interpretation } : {}),
          ...(claim.deviations ? { deviations: claim.deviations } : {}),
        }
      : {}),
    figures: def.figures?.(forFigures, config as never) ?? [],
  };
}
