/** Human-readable renderings of summaries for the terminal. */
import type { AggregateSummary, RunSummary } from "../store/summary.js";
import { describeThresholdChanges } from "../phenomena/assess.js";
import { findExperiment } from "../phenomena/registry.js";
import { formatPaperValue, paperComparison, RECALLED_NOTE } from "../phenomena/paper-figures.js";

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toFixed(4);
}

/** `status` overrides the recorded one (`show` reports a "running" folder without an owner as interrupted). */
export function formatSummary(s: RunSummary | AggregateSummary, status: string = s.status): string {
  const lines: string[] = [];
  const seeds = s.kind === "aggregate" ? `seeds ${s.seeds.join(",")}` : `seed ${s.seed}`;
  lines.push(`${s.experiment}  run ${s.runId}  ${status}  (${s.preset}, ${seeds}, backend ${s.backend})`);
  const width = Math.max(8, ...Object.keys(s.metrics).map((k) => k.length));
  for (const [key, value] of Object.entries(s.metrics)) {
    if (typeof value === "number") lines.push(`  ${key.padEnd(width)}  ${fmt(value)}`);
    else lines.push(`  ${key.padEnd(width)}  ${fmt(value.mean)} ± ${fmt(value.sd)}  (95% CI ${fmt(value.ci95[0])} .. ${fmt(value.ci95[1])}, n=${value.n})`);
  }
  if (s.claim) lines.push(`claim: ${s.claim.statement}`);
  if (s.verdict) lines.push(`verdict: ${s.verdict.reproduced ? "REPRODUCED" : "NOT reproduced"} — measured ${Number.isNaN(s.verdict.measured) ? "n/a (the note says why)" : fmt(s.verdict.measured)}, threshold ${fmt(s.verdict.threshold)}; ${s.verdict.note}`);
  if (s.changedThresholds?.length) lines.push(`judged against changed thresholds (preset or --set): ${describeThresholdChanges(s.changedThresholds, s.reproducedAtOwnThresholds)}`);
  const paper = paperComparison(findExperiment(s.experiment)?.claim?.paperFigures, s.metrics);
  if (paper.length) {
    lines.push(`the paper's figures beside ours (${s.preset} preset):`);
    const width = Math.max(...paper.map((r) => r.label.length));
    for (const r of paper) lines.push(`  ${r.label.padEnd(width)}  paper ${formatPaperValue(r, "paper")}  ours ${formatPaperValue(r, "ours")}  — ${r.source}${r.note ? `; ${r.note}` : ""}`);
    if (paper.some((r) => r.recalled)) lines.push(`  ${RECALLED_NOTE}`);
  }
  const seconds = s.timing.seconds;
  if (typeof seconds === "number") lines.push(`time: ${seconds.toFixed(1)} s${typeof s.timing.secondsPerEpoch === "number" ? ` (${s.timing.secondsPerEpoch.toFixed(2)} s/epoch)` : ""}`);
  if (s.kind === "run" && s.error) lines.push(`error: ${s.error.message}`);
  return lines.join("\n");
}

/** A fixed-width table for the terminal; the claim column is cut to fit. */
export function formatVerdictTable(rows: { label?: string; property: string; claim: string; measured: number | null; threshold: number | null; reproduced: boolean | null; status: string; seconds: number | null }[]): string {
  const claimWidth = 58;
  const cut = (t: string) => (t.length > claimWidth ? `${t.slice(0, claimWidth - 1)}…` : t);
  const table = rows.map((r) => [
    r.label ?? r.property,
    cut(r.claim),
    r.measured === null ? "-" : fmt(r.measured),
    r.threshold === null ? "-" : fmt(r.threshold),
    r.status !== "complete" ? r.status.toUpperCase() : r.reproduced === null ? "-" : r.reproduced ? "yes" : "NO",
    r.seconds === null ? "-" : r.seconds.toFixed(1),
  ]);
  const header = ["property", "claim", "measured", "threshold", "reproduced", "seconds"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...table.map(line)].join("\n");
}

export function formatComparison(c: import("../run/compare.js").Comparison): string {
  const headers = c.runs.map((r) => `${r.runId} (${r.experiment} ${r.preset} s${r.seed})`);
  const keyWidth = Math.max(10, ...Object.keys(c.metrics).map((k) => k.length));
  const widths = headers.map((h) => Math.max(12, h.length));
  const row = (key: string, cells: string[]) => `${key.padEnd(keyWidth)}  ${cells.map((v, i) => v.padStart(widths[i]!)).join("  ")}`;
  const lines = [row("", headers), row("reproduced", c.runs.map((r) => (r.reproduced === null ? "-" : r.reproduced ? "yes" : "NO")))];
  for (const [key, values] of Object.entries(c.metrics)) lines.push(row(key, values.map((v) => (v === null ? "-" : fmt(v)))));
  return lines.join("\n");
}
