/** The Markdown summary of a tour or run: the verdict table and each verdict's note. */
import { describeThresholdChanges } from "../phenomena/assess.js";
import { formatValue } from "./charts.js";
import type { ReportSection, VerdictRow } from "./sections.js";
import { formatPaperValue, RECALLED_NOTE, type PaperComparisonRow } from "../phenomena/paper-figures.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function verdictTableMarkdown(rows: VerdictRow[]): string {
  const lines = ["| property | experiment | claim | measured | threshold | reproduced | seconds |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) {
    const verdict = r.status !== "complete" ? r.status : r.reproduced === null ? "-" : r.reproduced ? "yes" : "**no**";
    lines.push(
      `| ${cell(r.property)} | ${cell(r.experiment)} | ${cell(r.claim)} | ${r.measured === null ? "-" : formatValue(r.measured)} | ${r.threshold === null ? "-" : formatValue(r.threshold)} | ${verdict} | ${r.seconds === null ? "-" : r.seconds.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

export function paperTableMarkdown(rows: PaperComparisonRow[]): string {
  const lines = ["| figure | paper | ours | source |", "|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${cell(r.label)} | ${formatPaperValue(r, "paper")} | ${formatPaperValue(r, "ours")} | ${cell(r.source)}${r.note ? ` (${cell(r.note)})` : ""} |`);
  if (rows.some((r) => r.recalled)) lines.push("", RECALLED_NOTE);
  return lines.join("\n");
}

export function reportMarkdown(
  title: string,
  subtitle: string,
  rows: VerdictRow[],
  sections: ReportSection[],
  notes: string[] = [],
  paperTable?: { heading: string; rows: PaperComparisonRow[] },
): string {
  const parts = [`# ${title}`, "", subtitle, "", verdictTableMarkdown(rows), ""];
  for (const n of notes) parts.push(n, "");
  if (paperTable?.rows.length) parts.push(`**${paperTable.heading}**`, "", paperTableMarkdown(paperTable.rows), "");
  for (const s of sections) {
    parts.push(`## ${s.title} (\`${s.experiment}\`)`, "");
    if (s.claim) parts.push(`**Claim.** ${s.claim.statement} — ${s.claim.citation}`, "");
    if (s.verdict) parts.push(`**Verdict:** ${s.verdict.reproduced ? "reproduced" : "not reproduced"}. ${s.verdict.note}`, "");
    if (s.changedThresholds?.length) parts.push(`Judged against thresholds this run's preset or settings changed: ${describeThresholdChanges(s.changedThresholds, s.reproducedAtOwnThresholds)}.`, "");
    if (s.interpretation) parts.push(s.interpretation, "");
    for (const f of s.findings ?? []) parts.push(`**${f.heading}.** ${f.text}`, "");
    if (s.paperFigures.length) parts.push(`The paper's figures beside this run's (${s.preset} preset, seed ${s.seed}):`, "", paperTableMarkdown(s.paperFigures), "");
    if (s.error) parts.push(`**The run ${s.status}:** ${s.error.message}`, "");
  }
  return parts.join("\n");
}
