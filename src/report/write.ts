/** Writes reports to disk: index.html, summary.md, figures as SVG and PNG. Node only. */
import { join, relative } from "node:path";
import { writeAtomic } from "../store/files.js";
import type { RunSummary } from "../store/summary.js";
import { reportHtml, type RenderedFigure, type RenderedImage } from "./html.js";
import type { PaperComparisonRow } from "../phenomena/paper-figures.js";
import { reportMarkdown } from "./markdown.js";
import { svgToPng } from "./png.js";
import { sectionFor, verdictRow, type ReportSection, type VerdictRow } from "./sections.js";
import { figureSvg } from "./svg.js";

export interface WriteOptions {
  /** Also render each figure to PNG (resvg); on by default. */
  png?: boolean;
  /** Extra notes under the verdict table. */
  notes?: string[];
  /** Over several seeds: the paper's figures beside our mean ± sd (an aggregate's report). */
  paperTable?: { heading: string; rows: PaperComparisonRow[] };
}

async function renderFigures(section: ReportSection, reportDir: string, png: boolean): Promise<RenderedFigure[]> {
  const out: RenderedFigure[] = [];
  for (const fig of section.figures) {
    const svg = figureSvg(fig);
    const base = `figures/${section.experiment}-${fig.id}`;
    writeAtomic(join(reportDir, `${base}.svg`), svg);
    let pngPath: string | undefined;
    if (png) {
      const bytes = await svgToPng(svg);
      if (bytes) {
        writeAtomic(join(reportDir, `${base}.png`), bytes);
        pngPath = `${base}.png`;
      }
    }
    out.push({ id: fig.id, title: fig.title, ...(fig.caption ? { caption: fig.caption } : {}), svg, ...(pngPath ? { png: pngPath } : {}) });
  }
  return out;
}

export interface WrittenReport {
  html: string;
  markdown: string;
  rows: VerdictRow[];
}

/**
 * A report over runs: `<reportDir>/index.html`, `summary.md` and `figures/`. Images that runs wrote as PNG artifacts
 * are linked by relative path from their run folders.
 */
export async function writeReport(
  reportDir: string,
  title: string,
  subtitle: string,
  runs: { summary: RunSummary; runDir: string; images?: { title: string; caption?: string; path: string }[] }[],
  options: WriteOptions = {},
): Promise<WrittenReport> {
  const sections = [];
  for (const run of runs) {
    const section = sectionFor(run.summary);
    const figures = await renderFigures(section, reportDir, options.png ?? true);
    const images: RenderedImage[] = (run.images ?? []).map((img) => ({ title: img.title, ...(img.caption ? { caption: img.caption } : {}), src: relative(reportDir, img.path) }));
    sections.push({ section, figures, images });
  }
  const rows = sections.map((s) => verdictRow(s.section));
  const html = join(reportDir, "index.html");
  const paperTable = options.paperTable?.rows.length ? options.paperTable : undefined;
  writeAtomic(html, reportHtml({ title, subtitle, rows, sections, ...(options.notes ? { notes: options.notes } : {}), ...(paperTable ? { paperTable } : {}) }));
  const markdown = join(reportDir, "summary.md");
  writeAtomic(markdown, reportMarkdown(title, subtitle, rows, sections.map((s) => s.section), options.notes, paperTable));
  return { html, markdown, rows };
}

/** The report of a single run, in `<runDir>/report/`. */
export function writeRunReport(runDir: string, summary: RunSummary, options: WriteOptions = {}): Promise<WrittenReport> {
  const subtitle = `quirklab ${summary.quirklabVersion} · ${summary.preset} preset · seed ${summary.seed} · backend ${summary.backend} · ${String(summary.timing.startedAt ?? "")}`;
  return writeReport(join(runDir, "report"), `quirklab: ${summary.experiment}`, subtitle, [{ summary, runDir, images: imagesOf(runDir, summary) }], options);
}

/** PNG artifacts a run declared in its details (`details.images`: [{ title, caption?, path }] relative to artifacts/). */
export function imagesOf(runDir: string, summary: RunSummary): { title: string; caption?: string; path: string }[] {
  const declared = (summary.details?.images as { title: string; caption?: string; path: string }[] | undefined) ?? [];
  return declared.map((img) => ({ ...img, path: join(runDir, "artifacts", img.path) }));
}
