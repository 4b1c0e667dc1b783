/**
 * The contract between the science (phenomena/) and the runners (CLI, worker threads, the browser lab).
 * Experiments import nothing Node-only: data, files, progress and cancellation all come through the context.
 */
import type { z } from "zod";
import type { TrainingContext } from "../analysis/context.js";
import type { DataSource } from "../data/dataset.js";
import type { BackendInfo } from "../engine/backend.js";
import type { Sequential } from "../models/sequential.js";

export type { ProgressUpdate, RunEvent, TrainingContext } from "../analysis/context.js";

export type PresetName = "quick" | "standard" | "paper";

/** A partial config: nested objects partial, arrays and scalars replaced whole. */
export type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface ArtifactSink {
  /** Writes `artifacts/<path>` (atomically, in Node). */
  write(path: string, data: Uint8Array | string): Promise<void>;
}

export interface ExperimentContext extends TrainingContext {
  seed: number;
  data: DataSource;
  backend: BackendInfo;
  artifacts: ArtifactSink;
  /** Where a run gets a model it did not train (`quirklab inspect`); absent where none can be loaded. */
  models?: ModelSource;
}

/** A model loaded from outside the run: the user's file, or one of quirklab's reference networks. */
export interface LoadedModel {
  model: Sequential;
  /** What was read, e.g. "tfjs layers model /path/model.json" or "baseline run 3f2a… (mlp, mnist)". */
  description: string;
  /** The file ended in a softmax, which quirklab drops (its models output logits). */
  droppedSoftmax: boolean;
}

export interface ModelSource {
  /** The model a config's `model` field names (a path in Node, a dropped file's name in the lab). */
  load(ref: string): Promise<LoadedModel>;
  /** A hash of what `load(ref)` returns: run ids include it, so a result is never reused for another model. */
  fingerprint(ref: string): Promise<string>;
  /**
   * quirklab's baseline network of a kind ("mlp" or "cnn") trained on a built-in dataset, trained once and reused;
   * absent where it cannot be trained (then no comparison is made).
   */
  reference?(kind: "mlp" | "cnn", dataset: string): Promise<LoadedModel>;
}

export interface ExperimentResult {
  /** Final figures, deterministic for a given config and seed: what verdicts and seed aggregates are computed from. */
  metrics: Record<string, number>;
  /** Wall-clock figures (kept apart: they differ between identical runs). */
  timing?: Record<string, number>;
  /** Anything else worth keeping in summary.json (small). */
  details?: Record<string, unknown>;
}

export interface Verdict {
  reproduced: boolean;
  measured: number;
  threshold: number;
  note: string;
}

/**
 * A figure as data: the experiment says what to draw, report/ (Node, SVG) and the browser lab draw it with the same
 * chart code. Science code never imports a plotting library.
 */
export type FigureSpec = LineFigure | BarFigure | HeatmapFigure | ScatterFigure;

interface FigureBase {
  /** File-safe id, unique within the experiment (e.g. "fgsm-error"). */
  id: string;
  title: string;
  /** One sentence under the figure: what to look at. */
  caption?: string;
}

export interface LineFigure extends FigureBase {
  kind: "line";
  x: string;
  y: string;
  series: { name: string; points: [number, number][]; dashed?: boolean }[];
  logY?: boolean;
  /** A log x axis (a sweep over sizes spanning decades); points at x <= 0 are left out. */
  logX?: boolean;
  yDomain?: [number, number];
  /** Horizontal reference lines, e.g. a threshold or chance level. */
  rules?: { y: number; label: string }[];
  /** Vertical reference lines, e.g. the interpolation threshold of a size sweep. */
  xRules?: { x: number; label: string }[];
}

export interface BarFigure extends FigureBase {
  kind: "bar";
  x: string;
  y: string;
  bars: { label: string; value: number; group?: string }[];
  rules?: { y: number; label: string }[];
}

export interface HeatmapFigure extends FigureBase {
  kind: "heatmap";
  x: string;
  y: string;
  columns: string[];
  rows: string[];
  /** values[row][column] */
  values: number[][];
  /** Colour scale domain (default: the data's range). */
  domain?: [number, number];
  /** A d3 colour scheme name (default "blues"). */
  scheme?: string;
}

/** Points without lines: one dot per item (a network, a critical point), coloured by series. */
export interface ScatterFigure extends FigureBase {
  kind: "scatter";
  x: string;
  y: string;
  /** `radius` in pixels (default 3): a series of end points drawn larger than the path that led to them, say. */
  series: { name: string; points: [number, number][]; radius?: number }[];
  logX?: boolean;
  logY?: boolean;
}

export interface Claim<C> {
  /** The claim in one sentence. */
  statement: string;
  citation: string;
  /** Computed from the measured metrics (a single run's, or the mean over seeds), never asserted. */
  verdict(metrics: Record<string, number>, config: C): Verdict;
  /** Two or three sentences, from the measured figures: what the numbers mean. */
  interpret?(metrics: Record<string, number>, config: C): string;
  /** Where our protocol departs from the paper's, in one paragraph. */
  deviations?: string;
  /**
   * Why the quick preset (the seconds-long run the tests and `npm start` use) cannot show the claim, from its measured
   * figures; absent when it does. test/claims asserts either way, so the reason cannot outlive the fact.
   */
  notAtQuickScale?: string;
  /**
   * The cited papers' own figures, each set beside the metric of ours that measures the same thing (report, terminal,
   * README). Read from the paper; `recalled` where docs/criteria.md marks the figure [R].
   */
  paperFigures?: PaperFigure[];
}

export interface PaperFigure {
  /** What both numbers measure, e.g. "MLP error at eps 0.25". */
  label: string;
  /** The key of our metric (a single run's value, or the mean ± sd over seeds). */
  metric: string;
  /** The paper's figure in the metric's own units: a fraction stays a fraction. */
  paper: number;
  /** Where the paper states it: "Goodfellow et al. 2015, Sec. 4 (maxout net)". */
  source: string;
  /** docs/criteria.md marks the figure [R]: recalled from secondary reading, not re-checked against the paper. */
  recalled?: boolean;
  /** "percent" shows fractions as percentages (default: the plain number). */
  unit?: "percent";
  /** What differs between the two settings that a reader must know to compare them. */
  note?: string;
  /** Only the paper preset measures it (a model or a sparsity the smaller presets leave out). */
  paperPresetOnly?: boolean;
}

export interface ExperimentDefinition<S extends z.ZodType = z.ZodType, D extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  /** The property this experiment shows (visualization, adversarial, ...; "foundation" for baseline). */
  property: string;
  description: string;
  schema: S;
  presets: Partial<Record<PresetName, DeepPartial<z.output<S>>>>;
  claim?: Claim<z.output<S>>;
  run(config: z.output<S>, ctx: ExperimentContext): Promise<ExperimentResult>;
  /**
   * The shape of the `details` its figures read (phenomena/details.ts), checked before they are drawn: details that do
   * not match (a summary written by another version) draw no figures instead of wrong ones.
   */
  details?: D;
  /** The figures of a finished run, from its metrics and its checked details. */
  figures?(result: { metrics: Record<string, number>; details?: z.output<D> }, config: z.output<S>): FigureSpec[];
  /**
   * For an experiment without a claim (`inspect`): what each part of the measurement found, in words computed from the
   * metrics, shown in the report in this order.
   */
  findings?(result: { metrics: Record<string, number>; details?: z.output<D> }, config: z.output<S>): Finding[];
}

export interface Finding {
  heading: string;
  text: string;
}

export function defineExperiment<S extends z.ZodType, D extends z.ZodType = z.ZodType>(def: ExperimentDefinition<S, D>): ExperimentDefinition<S, D> {
  return def;
}
