/**
 * Runs one experiment without a run folder: artifacts stay in memory and events go to callbacks. This is how the
 * browser lab (in a Web Worker) and library users who want numbers, not files, run an experiment; it imports nothing
 * Node-only. The result carries what summary.json would: metrics, details, the computed verdict, plus the figures
 * and the interpretation the report would draw.
 */
import { RngStreams } from "../core/rng.js";
import { QuirkError } from "../core/errors.js";
import type { BackendInfo } from "../engine/backend.js";
import type { DataSource } from "../data/dataset.js";
import type { ExperimentContext, ExperimentDefinition, ModelSource, ProgressUpdate, RunEvent } from "../phenomena/experiment.js";
import { saveModel } from "../phenomena/data.js";
import { validateConfig } from "./config.js";
import { execute } from "./execute.js";
import type { Assessment } from "../phenomena/assess.js";

export interface MemoryRunOptions {
  seed: number;
  data: DataSource;
  backend: BackendInfo;
  /** Where a config's `model` comes from (the lab's dropped file, a library user's model). */
  models?: ModelSource;
  signal?: AbortSignal;
  onEvent?(event: RunEvent & { t: number }): void;
  onProgress?(update: ProgressUpdate): void;
}

/** What summary.json would hold, the assessment (verdict, words, figures), and the artifacts in memory. */
export interface MemoryRunResult extends Assessment {
  experiment: string;
  seed: number;
  backend: string;
  config: Record<string, unknown>;
  metrics: Record<string, number>;
  details?: Record<string, unknown>;
  timing: Record<string, number>;
  /** Every artifact the experiment wrote, by its path under artifacts/. */
  artifacts: Map<string, Uint8Array | string>;
}

function safePath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (path.startsWith("/") || parts.includes("..")) throw new QuirkError(`artifact path must stay inside the run: ${path}`);
  return parts.join("/");
}

/** Validates `config` against the experiment's schema (errors name each bad field), then runs it. */
export async function runInMemory(def: ExperimentDefinition, config: Record<string, unknown>, options: MemoryRunOptions): Promise<MemoryRunResult> {
  const valid = validateConfig(def, config) as Record<string, unknown>;
  const artifacts = new Map<string, Uint8Array | string>();
  const started = Date.now();
  const elapsed = () => Number(((Date.now() - started) / 1000).toFixed(3));
  const ctx: ExperimentContext = {
    seed: options.seed,
    streams: new RngStreams(options.seed),
    data: options.data,
    ...(options.models ? { models: options.models } : {}),
    signal: options.signal ?? new AbortController().signal,
    backend: options.backend,
    emit: (event) => options.onEvent?.({ ...event, t: elapsed() }),
    progress: (update) => options.onProgress?.(update),
    // every named network, kept with the run: the lab's inspector and FGSM slider work on them
    trained: (name, model) => saveModel(ctx, name, model),
    artifacts: {
      async write(path, data) {
        artifacts.set(safePath(path), data);
      },
    },
  };
  const result = await execute(def, valid, ctx);
  const { metrics, details, timing, ...assessment } = result;
  return {
    experiment: def.id,
    seed: options.seed,
    backend: options.backend.name,
    config: valid,
    metrics,
    ...(details ? { details } : {}),
    timing: { ...(timing ?? {}), seconds: elapsed() },
    ...assessment,
    artifacts,
  };
}
