/**
 * The paper's figure beside ours: one row per `Claim.paperFigures` entry, read from a run's metrics (one seed) or an
 * aggregate's (mean ± sd over seeds). Pure: the terminal, HTML and Markdown renderings share these rows.
 */
import type { Summary } from "../core/stats.js";
import type { PaperFigure } from "./experiment.js";

export interface PaperComparisonRow {
  label: string;
  paper: number;
  /** Our value (the mean over seeds for an aggregate); null when this run did not measure it (a model left out). */
  ours: number | null;
  /** Standard deviation over seeds; absent for a single run. */
  sd?: number;
  seeds: number;
  source: string;
  recalled: boolean;
  unit?: "percent";
  note?: string;
  paperPresetOnly?: boolean;
}

export function paperComparison(figures: PaperFigure[] | undefined, metrics: Record<string, number | Summary>): PaperComparisonRow[] {
  return (figures ?? []).map((f) => {
    const value = metrics[f.metric];
    const measured = value === undefined ? null : typeof value === "number" ? { ours: value, seeds: 1 } : { ours: value.mean, sd: value.sd, seeds: value.n };
    return {
      label: f.label,
      paper: f.paper,
      ours: measured && Number.isFinite(measured.ours) ? measured.ours : null,
      ...(measured && "sd" in measured && measured.seeds > 1 ? { sd: measured.sd } : {}),
      seeds: measured?.seeds ?? 0,
      source: f.source,
      recalled: f.recalled ?? false,
      ...(f.unit ? { unit: f.unit } : {}),
      ...(f.note ? { note: f.note } : {}),
      ...(f.paperPresetOnly ? { paperPresetOnly: true } : {}),
    };
  });
}

function number(value: number, unit: "percent" | undefined): string {
  if (unit === "percent") return `${(value * 100).toFixed(Math.abs(value) < 0.1 ? 2 : 1)}%`;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toPrecision(4);
}

/** "89.4%" for the paper; "96.1% ± 1.2 (3 seeds)" or "not measured" for ours (the sd in the value's own units). */
export function formatPaperValue(row: PaperComparisonRow, which: "paper" | "ours"): string {
  if (which === "paper") return `${number(row.paper, row.unit)}${row.recalled ? " [R]" : ""}`;
  // "paper preset only" was wrong for a paper-preset run whose --set left the model out: say what is true of both
  if (row.ours === null) return row.paperPresetOnly ? "not measured (the paper preset's default measures it)" : "not measured";
  if (row.sd === undefined) return number(row.ours, row.unit);
  const sd = row.unit === "percent" ? (row.sd * 100).toFixed(row.sd < 0.001 ? 3 : row.sd < 0.01 ? 2 : 1) : number(row.sd, undefined);
  return `${number(row.ours, row.unit)} ± ${sd} (${row.seeds} seeds)`;
}

export const RECALLED_NOTE = "[R]: recalled from secondary reading, not yet re-checked against the paper (docs/criteria.md).";
