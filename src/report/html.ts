/**
 * The HTML report: one self-contained file (inline CSS and SVG, PNGs by relative path) that works offline from the
 * file system. Pure string building; write.ts puts it on disk.
 */
import { describeThresholdChanges } from "../phenomena/assess.js";
import type { ReportSection, VerdictRow } from "./sections.js";
import { formatValue } from "./charts.js";
import { formatPaperValue, RECALLED_NOTE, type PaperComparisonRow } from "../phenomena/paper-figures.js";

export const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const CSS = `
body{font-family:"DejaVu Sans",Verdana,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;margin-top:2.2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{font-size:1em;margin:1.4em 0 .3em}
table{border-collapse:collapse;font-size:.9em;margin:.6em 0} th,td{border:1px solid #ddd;padding:.3em .55em;text-align:left;vertical-align:top}
th{background:#f5f5f5} td.num{text-align:right;font-variant-numeric:tabular-nums}
.yes{color:#17693a;font-weight:bold} .no{color:#b3261e;font-weight:bold} .na{color:#777}
.meta{color:#666;font-size:.9em} .note{font-size:.9em;color:#333;background:#fafafa;border-left:3px solid #ccc;padding:.4em .7em}
figure{margin:1.2em 0} figcaption{font-size:.9em;color:#444;margin-top:.3em} figure svg{max-width:100%;height:auto}
pre{background:#f7f7f7;padding:.6em;overflow:auto;font-size:.85em} details{margin:.5em 0} .error{color:#b3261e}
`;

function verdictCell(r: VerdictRow): string {
  if (r.status !== "complete") return `<span class="no">${escapeHtml(r.status)}</span>`;
  if (r.reproduced === null) return `<span class="na">no claim</span>`;
  return r.reproduced ? `<span class="yes">yes</span>` : `<span class="no">no</span>`;
}

export function verdictTableHtml(rows: VerdictRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-experiment="${escapeHtml(r.experiment)}" data-reproduced="${String(r.reproduced)}" data-measured="${String(r.measured)}" data-threshold="${String(r.threshold)}">` +
        `<td>${escapeHtml(r.property)}</td><td><a href="#${escapeHtml(r.experiment)}">${escapeHtml(r.experiment)}</a></td><td>${escapeHtml(r.claim)}</td>` +
        `<td class="num">${r.measured === null ? "-" : formatValue(r.measured)}</td><td class="num">${r.threshold === null ? "-" : formatValue(r.threshold)}</td>` +
        `<td>${verdictCell(r)}</td><td class="num">${r.seconds === null ? "-" : r.seconds.toFixed(1)}</td></tr>`,
    )
    .join("\n");
  return `<table class="verdicts"><thead><tr><th>property</th><th>experiment</th><th>claim</th><th>measured</th><th>threshold</th><th>reproduced</th><th>seconds</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** The paper's figures beside ours: one row per figure, the setting's differences in the last column. */
export function paperTableHtml(rows: PaperComparisonRow[], heading: string): string {
  if (rows.length === 0) return "";
  const body = rows
    .map(
      (r) =>
        `<tr data-paper-figure="${escapeHtml(r.label)}"><td>${escapeHtml(r.label)}</td><td class="num">${escapeHtml(formatPaperValue(r, "paper"))}</td><td class="num">${escapeHtml(formatPaperValue(r, "ours"))}</td>` +
        `<td>${escapeHtml(r.source)}${r.note ? `<br><span class="meta">${escapeHtml(r.note)}</span>` : ""}</td></tr>`,
    )
    .join("\n");
  const recalled = rows.some((r) => r.recalled) ? `<p class="meta">${escapeHtml(RECALLED_NOTE)}</p>` : "";
  return `<h3>${escapeHtml(heading)}</h3><table class="paper-figures"><thead><tr><th>figure</th><th>paper</th><th>ours</th><th>source</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>${recalled}`;
}

export interface RenderedFigure {
  id: string;
  title: string;
  caption?: string;
  svg: string;
  /** Relative path of the PNG rendering, when one was written. */
  png?: string;
}

export interface RenderedImage {
  title: string;
  caption?: string;
  /** Relative path of a PNG file. */
  src: string;
}

function sectionHtml(s: ReportSection, figures: RenderedFigure[], images: RenderedImage[]): string {
  const parts: string[] = [];
  parts.push(`<section id="${escapeHtml(s.experiment)}"><h2>${escapeHtml(s.title)}</h2>`);
  parts.push(`<p class="meta">experiment <code>${escapeHtml(s.experiment)}</code> · property ${escapeHtml(s.property)} · preset ${escapeHtml(s.preset)} · seed ${s.seed} · backend ${escapeHtml(s.backend)} · run <code>${escapeHtml(s.runId)}</code>${s.seconds === undefined ? "" : ` · ${s.seconds.toFixed(1)} s`}</p>`);
  if (s.claim) parts.push(`<p><b>Claim.</b> ${escapeHtml(s.claim.statement)}<br><span class="meta">${escapeHtml(s.claim.citation)}</span></p>`);
  if (s.error) parts.push(`<p class="error"><b>The run ${escapeHtml(s.status)}:</b> ${escapeHtml(s.error.message)}${s.error.hint ? ` — ${escapeHtml(s.error.hint)}` : ""}</p>`);
  if (s.verdict) {
    parts.push(
      `<p><b>Verdict:</b> <span class="${s.verdict.reproduced ? "yes" : "no"}">${s.verdict.reproduced ? "reproduced" : "not reproduced"}</span> — measured ${formatValue(s.verdict.measured)}, threshold ${formatValue(s.verdict.threshold)}.</p>`,
      `<p class="note">${escapeHtml(s.verdict.note)}</p>`,
    );
    if (s.changedThresholds?.length) {
      parts.push(`<p class="note" data-changed-thresholds><b>Judged against thresholds this run's preset or settings changed:</b> ${escapeHtml(describeThresholdChanges(s.changedThresholds, s.reproducedAtOwnThresholds))}.</p>`);
    }
  }
  if (s.interpretation) parts.push(`<p><b>What the numbers mean.</b> ${escapeHtml(s.interpretation)}</p>`);
  for (const f of s.findings ?? []) parts.push(`<h3>${escapeHtml(f.heading)}</h3><p data-finding="${escapeHtml(f.heading)}">${escapeHtml(f.text)}</p>`);
  if (s.paperFigures.length) parts.push(paperTableHtml(s.paperFigures, `The paper's figures beside this run's (${s.preset} preset, seed ${s.seed})`));
  for (const f of figures)
    parts.push(`<figure data-figure="${escapeHtml(f.id)}"><h3>${escapeHtml(f.title)}</h3>${f.svg}${f.caption ? `<figcaption>${escapeHtml(f.caption)}${f.png ? ` (<a href="${escapeHtml(f.png)}">PNG</a>)` : ""}</figcaption>` : ""}</figure>`);
  for (const img of images)
    parts.push(`<figure data-image="${escapeHtml(img.src)}"><h3>${escapeHtml(img.title)}</h3><img src="${escapeHtml(img.src)}" alt="${escapeHtml(img.title)}">${img.caption ? `<figcaption>${escapeHtml(img.caption)}</figcaption>` : ""}</figure>`);
  if (s.deviations) parts.push(`<p><b>Known deviations from the paper.</b> ${escapeHtml(s.deviations)}</p>`);
  const metricRows = Object.entries(s.metrics)
    .map(([k, v]) => `<tr><td><code>${escapeHtml(k)}</code></td><td class="num">${formatValue(v)}</td></tr>`)
    .join("");
  parts.push(`<details><summary>All ${Object.keys(s.metrics).length} measured figures</summary><table>${metricRows}</table></details>`);
  parts.push(`<details><summary>Config (seed ${s.seed})</summary><pre>${escapeHtml(JSON.stringify(s.config, null, 2))}</pre></details>`);
  parts.push(`</section>`);
  return parts.join("\n");
}

export interface ReportPage {
  title: string;
  subtitle: string;
  rows: VerdictRow[];
  sections: { section: ReportSection; figures: RenderedFigure[]; images: RenderedImage[] }[];
  /** Lines under the table, e.g. properties without an experiment yet. */
  notes?: string[];
  /** Over several seeds: the paper's figures beside our mean ± sd, shown under the verdict table. */
  paperTable?: { heading: string; rows: PaperComparisonRow[] };
}

export function reportHtml(page: ReportPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p class="meta">${escapeHtml(page.subtitle)}</p>
${verdictTableHtml(page.rows)}
${(page.notes ?? []).map((n) => `<p class="meta">${escapeHtml(n)}</p>`).join("\n")}
${page.paperTable ? paperTableHtml(page.paperTable.rows, page.paperTable.heading) : ""}
${page.sections.map((s) => sectionHtml(s.section, s.figures, s.images)).join("\n")}
</body></html>
`;
}
