/**
 * FigureSpecs drawn with Observable Plot. The same functions run in Node (with linkedom's document, see svg.ts) and
 * in the browser lab (with the page's document). Legends are drawn as labels at the end of each line, so a chart is
 * one self-contained <svg> (no HTML legend), which also renders to PNG.
 */
import * as Plot from "@observablehq/plot";
import type { BarFigure, FigureSpec, HeatmapFigure, LineFigure, ScatterFigure } from "../phenomena/experiment.js";

/** Fonts are set explicitly: the report and its PNGs look the same on every machine that has DejaVu Sans. */
export const CHART_FONT = "DejaVu Sans, Verdana, sans-serif";
const WIDTH = 640;
const HEIGHT = 340;

type PlotDocument = Parameters<typeof Plot.plot>[0] extends infer O ? (O extends { document?: infer D } ? D : never) : never;

const style = { fontFamily: CHART_FONT, fontSize: "12px", background: "white", color: "#222", overflow: "visible" };

/** A legend in the right margin, one coloured line of text per series: stays pure SVG and never covers the data. */
function legend(names: string[]) {
  return names.map((name, i) =>
    Plot.text([name], { text: (d: string) => `\u2014 ${d}`, frameAnchor: "top-right", textAnchor: "start", dx: 12, dy: 4 + 15 * i, fill: () => name }),
  );
}

const legendWidth = (names: string[]) => Math.min(260, 24 + 7 * Math.max(0, ...names.map((n) => n.length + 2)));

function line(fig: LineFigure, document: PlotDocument) {
  const data = fig.series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!fig.logX || x > 0) && (!fig.logY || y > 0)).map(([x, y]) => ({ x, y, series: s.name, dashed: !!s.dashed })));
  return Plot.plot({
    document,
    height: HEIGHT,
    width: WIDTH + legendWidth(fig.series.map((s) => s.name)),
    marginRight: legendWidth(fig.series.map((s) => s.name)),
    marginLeft: 56,
    style,
    x: { label: fig.x, grid: true, ...(fig.logX ? { type: "log" as const, tickFormat: "~s" } : {}) },
    y: { label: fig.y, grid: true, ...(fig.logY ? { type: "log" as const, tickFormat: "~e" } : {}), ...(fig.yDomain ? { domain: fig.yDomain } : {}) },
    color: { type: "categorical", scheme: "tableau10", domain: fig.series.map((s) => s.name) },
    marks: [
      ...(fig.rules ?? []).flatMap((r) => [
        Plot.ruleY([r.y], { stroke: "#999", strokeDasharray: "4,3" }),
        Plot.text([r], { y: "y", text: "label", frameAnchor: "left", textAnchor: "start", dy: -6, dx: 4, fill: "#777" }),
      ]),
      ...(fig.xRules ?? []).flatMap((r) => [
        Plot.ruleX([r.x], { stroke: "#999", strokeDasharray: "4,3" }),
        Plot.text([r], { x: "x", text: "label", frameAnchor: "top", textAnchor: "start", dy: 6, dx: 4, fill: "#777" }),
      ]),
      Plot.line(data.filter((d) => !d.dashed), { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.8 }),
      Plot.line(data.filter((d) => d.dashed), { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.8, strokeDasharray: "5,3" }),
      Plot.dot(data, { x: "x", y: "y", fill: "series", r: data.length > 400 ? 0 : 2 }),
      ...legend(fig.series.map((s) => s.name)),
    ],
  });
}

function scatter(fig: ScatterFigure, document: PlotDocument) {
  const names = fig.series.map((s) => s.name);
  const data = fig.series.flatMap((s) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!fig.logX || x > 0) && (!fig.logY || y > 0)).map(([x, y]) => ({ x, y, series: s.name, r: s.radius ?? 3 })),
  );
  return Plot.plot({
    document,
    height: HEIGHT,
    width: WIDTH + legendWidth(names),
    marginRight: legendWidth(names),
    marginLeft: 56,
    style,
    x: { label: fig.x, grid: true, ...(fig.logX ? { type: "log" as const, tickFormat: "~e" } : {}) },
    y: { label: fig.y, grid: true, ...(fig.logY ? { type: "log" as const, tickFormat: "~e" } : {}) },
    color: { type: "categorical", scheme: "tableau10", domain: names },
    marks: [Plot.dot(data, { x: "x", y: "y", fill: "series", r: "r", fillOpacity: 0.75 }), ...legend(names)],
    r: { type: "identity" },
  });
}

function bar(fig: BarFigure, document: PlotDocument) {
  const grouped = fig.bars.some((b) => b.group !== undefined);
  return Plot.plot({
    document,
    width: WIDTH,
    height: HEIGHT,
    marginLeft: 56,
    marginBottom: 48,
    // room above the tallest bar for its value label, clear of the y-axis label
    marginTop: 34,
    style,
    x: { label: fig.x, domain: [...new Set(fig.bars.map((b) => b.label))], tickRotate: fig.bars.length > 8 ? -30 : 0 },
    y: { label: fig.y, grid: true },
    color: { type: "categorical", scheme: "tableau10" },
    marks: [
      Plot.barY(fig.bars, { x: "label", y: "value", fill: grouped ? "group" : "label" }),
      Plot.text(fig.bars, { x: "label", y: "value", text: (b: { value: number }) => formatValue(b.value), dy: -7, fill: "#333" }),
      ...(fig.rules ?? []).flatMap((r) => [Plot.ruleY([r.y], { stroke: "#c33", strokeDasharray: "4,3" }), Plot.text([r], { y: "y", text: "label", frameAnchor: "right", dy: -6, fill: "#c33" })]),
      Plot.ruleY([0]),
    ],
  });
}

function heatmap(fig: HeatmapFigure, document: PlotDocument) {
  const data = fig.rows.flatMap((row, i) => fig.columns.map((column, j) => ({ row, column, value: fig.values[i]![j]! })));
  const values = data.map((d) => d.value).filter(Number.isFinite);
  const domain = fig.domain ?? [Math.min(...values), Math.max(...values)];
  // A surface (many cells) gets small square cells, every 5th tick and no printed values; a matrix gets its numbers.
  const dense = fig.columns.length > 12 || fig.rows.length > 12;
  const every = (labels: string[]) => (dense ? labels.filter((_, i) => i % 5 === 0 || i === labels.length - 1) : labels);
  return Plot.plot({
    document,
    width: Math.min(WIDTH, dense ? 150 + 16 * fig.columns.length : 120 + 64 * fig.columns.length),
    height: Math.min(520, dense ? 70 + 16 * fig.rows.length : 60 + 34 * fig.rows.length),
    marginLeft: dense ? 60 : 110,
    marginBottom: 40,
    style,
    x: { label: fig.x, domain: fig.columns, ticks: every(fig.columns), ...(dense ? { padding: 0 } : {}) },
    y: { label: fig.y, domain: fig.rows, ticks: every(fig.rows), ...(dense ? { padding: 0 } : {}) },
    // no colour legend: Plot draws continuous ramps on a canvas, which linkedom (Node) does not have; dense maps say
    // their scale in the caption instead
    color: { type: "linear", scheme: (fig.scheme ?? "blues") as Plot.ColorScheme, domain },
    marks: [
      Plot.cell(data, { x: "column", y: "row", fill: "value", inset: dense ? 0 : 0.5 }),
      ...(dense ? [] : [Plot.text(data, { x: "column", y: "row", text: (d: { value: number }) => formatValue(d.value), fill: (d: { value: number }) => (d.value > domain[0] + 0.6 * (domain[1] - domain[0]) ? "white" : "#222") })]),
    ],
  });
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return "-";
  const a = Math.abs(v);
  return a !== 0 && (a < 0.01 || a >= 1e5) ? v.toExponential(1) : a < 1 ? v.toFixed(2) : a < 100 ? v.toFixed(1) : v.toFixed(0);
}

/** The chart element for a figure (an <svg>). */
export function renderFigure(fig: FigureSpec, document: PlotDocument): Element {
  switch (fig.kind) {
    case "line":
      return line(fig, document) as unknown as Element;
    case "bar":
      return bar(fig, document) as unknown as Element;
    case "heatmap":
      return heatmap(fig, document) as unknown as Element;
    case "scatter":
      return scatter(fig, document) as unknown as Element;
  }
}
