/**
 * Live views of a running experiment, fed by the events it emits (the same events metrics.jsonl records in the CLI):
 * learning curves (`epoch`), sweeps filling in point by point (`point`: an interpolation path, an epsilon sweep),
 * the accuracy matrix growing task by task (`task`), and matrices that arrive whole (`matrix`).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { RunEvent } from "../../src/phenomena/experiment.js";

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

const CONTROL = / (noise|test)$/;
const baseName = (name: string) => name.replace(/ (FGSM|noise|train|test)$/, "");

/** Series of (x, y) points keyed by name, aligned on the union of x for uPlot. */
class SeriesBook {
  private series = new Map<string, Map<number, number>>();
  add(name: string, x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = new Map()));
    s.set(x, y);
  }
  get names(): string[] {
    return [...this.series.keys()];
  }
  aligned(): uPlot.AlignedData {
    const xs = [...new Set([...this.series.values()].flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
    return [xs, ...[...this.series.values()].map((s) => xs.map((x) => s.get(x) ?? null))] as uPlot.AlignedData;
  }
}

/** One uPlot chart that grows as points arrive; rebuilt when a new series appears (uPlot's series are fixed). */
export class LiveChart {
  readonly element = document.createElement("div");
  private book = new SeriesBook();
  private plot: uPlot | null = null;
  private pending = false;

  constructor(
    private readonly title: string,
    private readonly xLabel: string,
    private readonly yLabel: string,
    private readonly log = false,
  ) {
    this.element.className = "live-chart";
    this.element.dataset.chart = title;
  }

  add(name: string, x: number, y: number): void {
    if (this.log && !(y > 0)) return;
    const before = this.book.names.length;
    this.book.add(name, x, y);
    if (this.book.names.length !== before) {
      this.plot?.destroy();
      this.plot = null;
    }
    // Batch redraws into one per frame: training can emit faster than the page paints.
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }
  }

  get points(): number {
    const [xs] = this.book.aligned();
    return xs.length;
  }

  private draw(): void {
    const data = this.book.aligned();
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const width = Math.max(320, Math.min(480, this.element.parentElement?.clientWidth ?? 480));
    // "mlp FGSM" and "mlp noise" (or "line train" / "line test") share a colour; the control is dashed
    const bases = [...new Set(this.book.names.map(baseName))];
    this.plot = new uPlot(
      {
        title: this.title,
        width,
        height: 220,
        scales: { x: { time: false }, y: this.log ? { distr: 3 } : {} },
        axes: [this.xLabel === "epoch" ? { label: this.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : { label: this.xLabel }, { label: this.yLabel }],
        series: [
          { label: this.xLabel },
          ...this.book.names.map((name) => ({
            label: name,
            stroke: PALETTE[bases.indexOf(baseName(name)) % PALETTE.length]!,
            width: 1.5,
            spanGaps: true,
            ...(CONTROL.test(name) ? { dash: [6, 4] } : {}),
          })),
        ],
      },
      data,
      this.element,
    );
  }
}

/** An accuracy matrix: row t = after training on task t, column j = accuracy on task j; cells coloured by value. */
export function matrixTable(title: string, rows: string[], columns: string[], values: (number | null)[][], format = (v: number) => v.toFixed(2)): HTMLElement {
  const table = document.createElement("table");
  table.className = "matrix";
  table.dataset.matrix = title;
  const caption = table.createCaption();
  caption.textContent = title;
  const head = table.createTHead().insertRow();
  head.insertCell().textContent = "";
  for (const c of columns) head.insertCell().textContent = c;
  const body = table.createTBody();
  values.forEach((row, r) => {
    const tr = body.insertRow();
    tr.insertCell().textContent = rows[r] ?? "";
    row.forEach((v) => {
      const td = tr.insertCell();
      if (v === null || !Number.isFinite(v)) return;
      td.textContent = format(v);
      td.style.background = `hsl(${Math.round(120 * Math.max(0, Math.min(1, v)))} 60% 80%)`;
    });
  });
  return table;
}

/** Viridis-like ramp for t in [0, 1] (dark = low loss), five stops interpolated. */
function ramp(t: number): string {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const f = x - k;
  const c = stops[k]!.map((v, n) => Math.round(v + f * (stops[k + 1]![n]! - v)));
  return `rgb(${c.join(",")})`;
}

/** A loss surface filling in cell by cell, coloured by log10 loss on a scale that widens as values arrive. */
class LiveSurface {
  readonly element = document.createElement("figure");
  private canvas = document.createElement("canvas");
  private cells: { i: number; j: number; v: number }[] = [];
  private lo = Infinity;
  private hi = -Infinity;
  private static readonly PX = 14;

  constructor(name: string, private readonly columns: number, private readonly rows: number) {
    this.element.className = "live-surface";
    this.element.dataset.surface = name;
    this.canvas.width = columns * LiveSurface.PX;
    this.canvas.height = rows * LiveSurface.PX;
    const caption = document.createElement("figcaption");
    caption.textContent = `${name}: log10 training loss on the filter-normalized plane (centre = the solution)`;
    this.element.append(this.canvas, caption);
  }

  add(i: number, j: number, loss: number): void {
    const v = Math.log10(Math.max(loss, 1e-12));
    this.cells.push({ i, j, v });
    this.element.dataset.cells = String(this.cells.length);
    if (v < this.lo || v > this.hi) {
      this.lo = Math.min(this.lo, v);
      this.hi = Math.max(this.hi, v);
      this.redraw();
    } else this.paint(this.cells.at(-1)!);
  }

  private paint(c: { i: number; j: number; v: number }): void {
    const ctx = this.canvas.getContext("2d")!;
    ctx.fillStyle = ramp(this.hi > this.lo ? (c.v - this.lo) / (this.hi - this.lo) : 0);
    // row 0 (most negative beta) at the bottom, as the report's maps
    ctx.fillRect(c.i * LiveSurface.PX, (this.rows - 1 - c.j) * LiveSurface.PX, LiveSurface.PX, LiveSurface.PX);
  }

  private redraw(): void {
    for (const c of this.cells) this.paint(c);
  }
}

/** Routes an experiment's events to the views they feed; creates each view on the first event that needs it. */
export class LiveViews {
  readonly element = document.createElement("div");
  private charts = new Map<string, LiveChart>();
  private tasks = new Map<string, (number | null)[][]>();
  private surfaces = new Map<string, LiveSurface>();
  private matrixHost = document.createElement("div");

  constructor() {
    this.element.className = "live";
    this.matrixHost.className = "matrices";
  }

  private chart(key: string, make: () => LiveChart): LiveChart {
    let c = this.charts.get(key);
    if (!c) {
      c = make();
      this.charts.set(key, c);
      this.element.insertBefore(c.element, this.matrixHost.isConnected ? this.matrixHost : null);
    }
    return c;
  }

  add(event: RunEvent): void {
    const num = (k: string) => (typeof event[k] === "number" ? (event[k] as number) : Number.NaN);
    const name = String(event.model ?? event.variant ?? event.line ?? event.strategy ?? "model");
    switch (event.type) {
      case "epoch": {
        const epoch = num("epoch");
        this.chart("loss", () => new LiveChart("training loss", "epoch", "loss", true)).add(name, epoch, num("trainLoss"));
        const acc = Number.isFinite(num("testAccuracy")) ? num("testAccuracy") : num("trainAccuracy");
        this.chart("accuracy", () => new LiveChart(Number.isFinite(num("testAccuracy")) ? "test accuracy" : "training accuracy", "epoch", "accuracy")).add(name, epoch, acc);
        break;
      }
      case "point": {
        if (Number.isFinite(num("alpha"))) {
          this.chart("path-loss", () => new LiveChart("loss along the path", "alpha", "loss")).add(`${name} train`, num("alpha"), num("trainLoss"));
          this.chart("path-loss", () => new LiveChart("loss along the path", "alpha", "loss")).add(`${name} test`, num("alpha"), num("testLoss"));
        } else if (Number.isFinite(num("epsilon"))) {
          this.chart("sweep", () => new LiveChart("error under attack", "epsilon", "error")).add(`${name} FGSM`, num("epsilon"), num("error"));
          this.chart("sweep", () => new LiveChart("error under attack", "epsilon", "error")).add(`${name} noise`, num("epsilon"), num("noiseError"));
        }
        break;
      }
      case "task": {
        const key = event.lambda !== undefined ? `${String(event.strategy)} (lambda ${String(event.lambda)})` : String(event.strategy);
        const accuracies = (event.testAccuracy as number[] | undefined) ?? [];
        const rows = this.tasks.get(key) ?? [];
        rows[num("task") - 1] = accuracies;
        this.tasks.set(key, rows);
        this.drawTasks();
        break;
      }
      case "cell": {
        const key = String(event.surface ?? "surface");
        let surface = this.surfaces.get(key);
        if (!surface) {
          surface = new LiveSurface(`${key} batch`, num("columns"), num("rows"));
          this.surfaces.set(key, surface);
          this.matrixHost.append(surface.element);
          this.attachMatrices();
        }
        surface.add(num("i"), num("j"), num("loss"));
        break;
      }
      case "matrix": {
        const rows = event.rows as string[];
        const columns = event.columns as string[];
        const values = event.errors as number[][];
        this.matrixHost.append(matrixTable("transfer: error of each target on each source's examples", rows, columns, values));
        this.attachMatrices();
        break;
      }
    }
  }

  private attachMatrices(): void {
    if (!this.matrixHost.isConnected) this.element.append(this.matrixHost);
  }

  private drawTasks(): void {
    this.matrixHost.replaceChildren();
    for (const [key, rows] of this.tasks) {
      const n = Math.max(rows.length, ...rows.map((r) => r?.length ?? 0));
      const values = Array.from({ length: rows.length }, (_, t) => Array.from({ length: n }, (_, j) => rows[t]?.[j] ?? null));
      const labels = Array.from({ length: n }, (_, j) => `task ${j + 1}`);
      this.matrixHost.append(matrixTable(`${key}: test accuracy after each task`, labels.slice(0, rows.length).map((l) => `after ${l}`), labels, values));
    }
    this.attachMatrices();
  }
}
