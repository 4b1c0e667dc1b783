/**
 * Runs one experiment for one seed into a run folder:
 *   runs/<id>/config.json     the validated config
 *   runs/<id>/manifest.json   versions, backend, machine
 *   runs/<id>/metrics.jsonl   append-only events
 *   runs/<id>/summary.json    status, final metrics, verdict (written at start as "running", atomically replaced)
 *   runs/<id>/artifacts/      models, images, plots
 *   runs/<id>/report/         index.html, summary.md, figures (SVG and PNG)
 * The id is a hash of experiment, config, seed, backend, quirklab version and the content of the data the config names:
 * the same request on the same data names the same folder. One process owns a folder at a time (run.lock): a second
 * identical request waits for the first and reuses its result.
 */
import { cpus, platform, arch, totalmem } from "node:os";
import { readdirSync, rmSync } from "node:fs";
import { join, normalize, isAbsolute, sep } from "node:path";
import { stableId } from "../core/hash.js";
import { RngStreams } from "../core/rng.js";
import { ConfigError, InterruptedError, QuirkError } from "../core/errors.js";
import type { BackendInfo } from "../engine/backend.js";
import type { DataSource } from "../data/dataset.js";
import type { ExperimentContext, ExperimentDefinition, ModelSource, PresetName, RunEvent } from "../phenomena/experiment.js";
import { experiments, findExperiment } from "../phenomena/registry.js";
import { resolveConfig } from "./config.js";
import { appendJsonLine, writeAtomic, writeJsonAtomic } from "../store/files.js";
import { acquireRunLock, LOCK_FILE } from "../store/lock.js";
import { ensureRunsDir } from "../store/folders.js";
import { readRunSummary, RunFileError } from "../store/summary-schema.js";
import type { ProgressReporter } from "./progress.js";
import type { RunSummary } from "../store/summary.js";
import { QUIRKLAB_VERSION, dependencyVersion } from "./version.js";
import { writeRunReport } from "../report/write.js";
import { execute } from "./execute.js";
import { judgement } from "../phenomena/assess.js";
import { saveModel } from "../phenomena/data.js";

export interface RunRequest {
  experiment: string;
  preset?: PresetName;
  sets?: string[];
  configFile?: Record<string, unknown>;
  seed: number;
  runsDir: string;
  backend: BackendInfo;
  data: DataSource;
  /** Where models named in the config come from (`quirklab inspect`). */
  models?: ModelSource;
  /** Run again even when a complete run with this id exists. */
  force?: boolean;
  /** Write the run's HTML report (report/ in the run folder); on by default. */
  report?: boolean;
  signal?: AbortSignal;
  reporter?: ProgressReporter;
}

export function getExperiment(id: string): ExperimentDefinition {
  const def = findExperiment(id);
  if (!def) throw new ConfigError(`unknown experiment "${id}"`, `available: ${experiments.map((e) => e.id).join(", ")} (see \`quirklab list\`)`);
  return def;
}

/** Fingerprints of the datasets a run reads, by name (a source that cannot fingerprint contributes the name alone). */
export type DataFingerprints = Record<string, string>;

export function runIdFor(experiment: string, config: unknown, seed: number, backend: string, data: DataFingerprints = {}): string {
  return stableId({ experiment, config, seed, backend, version: QUIRKLAB_VERSION, data });
}

/** Every string value of a `key` field in a config, at any depth (sorted, each once). */
function stringsAt(config: unknown, key: string): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === key && typeof v === "string") found.add(v);
        else walk(v);
      }
    }
  };
  walk(config);
  return [...found].sort();
}

/** Every dataset name a config refers to (any `dataset` field, at any depth). */
export function datasetsNamedIn(config: unknown): string[] {
  return stringsAt(config, "dataset");
}

/** Every model a config names: a string-valued `model` field at any depth (an experiment that trains has an object there). */
export function modelsNamedIn(config: unknown): string[] {
  return stringsAt(config, "model");
}

/** The fingerprints of the datasets a config names, and of its models under `model:<ref>`: the run id covers both. */
export async function dataFingerprints(config: unknown, data: DataSource, models?: ModelSource): Promise<DataFingerprints> {
  const out: DataFingerprints = {};
  for (const name of datasetsNamedIn(config)) out[name] = data.fingerprint ? await data.fingerprint(name) : "unfingerprinted";
  for (const ref of modelsNamedIn(config)) {
    if (!models) throw new ConfigError(`the config names the model ${ref}, but this runner cannot load models`, "run it with `quirklab inspect`");
    out[`model:${ref}`] = await models.fingerprint(ref);
  }
  return out;
}

/**
 * The data source an experiment sees: it may load only the datasets whose fingerprints are in the run id, so an
 * experiment that reads data its config does not name fails loudly instead of making the run id lie.
 */
function guardedData(data: DataSource, fingerprints: DataFingerprints): DataSource {
  return {
    available: () => data.available(),
    load: (name, split) => {
      if (!(name in fingerprints)) throw new Error(`the experiment loaded dataset "${name}", which its config does not name: the run id would not cover it`);
      return data.load(name, split);
    },
    ...(data.fingerprint ? { fingerprint: (name: string) => data.fingerprint!(name) } : {}),
  };
}

/** A seed as the user typed it ("7", not "", "7.5" or "1e3"), or as a number from code. */
export function validateSeed(seed: number | string): number {
  const value = typeof seed === "string" ? (/^\s*\d+\s*$/.test(seed) ? Number(seed) : Number.NaN) : seed;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ConfigError(`seed must be an integer in [0, 4294967295], got ${JSON.stringify(seed)}`, "pass e.g. --seed 1");
  }
  return value;
}

function manifest(backend: BackendInfo): Record<string, unknown> {
  return {
    quirklab: QUIRKLAB_VERSION,
    node: process.version,
    tfjs: dependencyVersion("@tensorflow/tfjs"),
    backend,
    machine: { platform: platform(), arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30) },
  };
}

export async function runExperiment(request: RunRequest): Promise<RunSummary> {
  const def = getExperiment(request.experiment);
  const seed = validateSeed(request.seed);
  const preset = request.preset ?? "standard";
  const config = resolveConfig(def, { preset, file: request.configFile, sets: request.sets }) as Record<string, unknown>;
  const fingerprints = await dataFingerprints(config, request.data, request.models);
  const runId = runIdFor(def.id, config, seed, request.backend.name, fingerprints);
  ensureRunsDir(request.runsDir);
  const dir = join(request.runsDir, runId);
  const summaryPath = join(dir, "summary.json");
  const reporter = request.reporter;

  ensureRunsDir(dir, { register: false });
  let waited = false;
  const lock = await acquireRunLock(dir, {
    ...(request.signal ? { signal: request.signal } : {}),
    onWait: (owner, state) => {
      waited = true;
      const where = state === "unknown-host" ? ` on host ${owner.host}` : "";
      reporter?.line(`run ${runId} is being run by pid ${owner.pid}${where} (since ${owner.startedAt}): waiting for it to finish`);
    },
    onStale: (owner) => reporter?.line(`run ${runId}: its previous owner (pid ${owner.pid}) is gone; taking the folder over`),
  });
  try {
    let previous: RunSummary | null = null;
    try {
      previous = readRunSummary(summaryPath);
    } catch (error) {
      if (!(error instanceof RunFileError)) throw error;
      reporter?.line(`warning: ${error.message}; running it again`);
    }
    if (previous?.status === "complete" && !request.force) {
      reporter?.line(waited ? `run ${runId} was completed by the process it waited for: reusing its result` : `run ${runId} is already complete: reusing it (--force runs it again)`);
      return previous;
    }
    // a fresh start: everything but the lock this process now holds
    for (const entry of readdirSync(dir)) if (entry !== LOCK_FILE) rmSync(join(dir, entry), { recursive: true, force: true });
    return await runInto(def, request, { config, seed, preset, runId, dir, fingerprints });
  } finally {
    lock.release();
  }
}

/** Runs the experiment into `dir`, which this process owns and which holds nothing but the lock. */
async function runInto(def: ExperimentDefinition, request: RunRequest, run: { config: Record<string, unknown>; seed: number; preset: PresetName; runId: string; dir: string; fingerprints: DataFingerprints }): Promise<RunSummary> {
  const { config, seed, preset, runId, dir, fingerprints } = run;
  const reporter = request.reporter;
  const summaryPath = join(dir, "summary.json");
  writeJsonAtomic(join(dir, "config.json"), config);
  writeJsonAtomic(join(dir, "manifest.json"), { ...manifest(request.backend), data: fingerprints });

  const startedAt = new Date();
  const summary: RunSummary = {
    runId,
    kind: "run",
    experiment: def.id,
    status: "running",
    quirklabVersion: QUIRKLAB_VERSION,
    seed,
    preset,
    config,
    backend: request.backend.name,
    data: fingerprints,
    metrics: {},
    ...(def.claim ? { claim: { statement: def.claim.statement, citation: def.claim.citation } } : {}),
    timing: { startedAt: startedAt.toISOString() },
  };
  writeJsonAtomic(summaryPath, summary);
  const metricsPath = join(dir, "metrics.jsonl");
  const elapsed = () => (Date.now() - startedAt.getTime()) / 1000;
  const emit = (event: RunEvent) => appendJsonLine(metricsPath, { ...event, t: Number(elapsed().toFixed(3)) });

  const ctx: ExperimentContext = {
    seed,
    streams: new RngStreams(seed),
    data: guardedData(request.data, fingerprints),
    ...(request.models ? { models: request.models } : {}),
    signal: request.signal ?? new AbortController().signal,
    backend: request.backend,
    emit,
    progress: (update) => reporter?.update(update),
    // every network trainNamedModel trains goes into the run's artifacts (docs/artifacts.md)
    trained: (name, model) => saveModel(ctx, name, model),
    artifacts: {
      async write(path, data) {
        const target = normalize(path);
        if (isAbsolute(target) || target.startsWith("..")) throw new Error(`artifact path must stay inside the run folder: ${path}`);
        writeAtomic(join(dir, "artifacts", target), data);
        const subset = /^subsets\/(.+)-indices\.idx$/.exec(target.split(sep).join("/"));
        if (subset) summary.subsets = { ...summary.subsets, [subset[1]!]: `artifacts/${target.split(sep).join("/")}` };
      },
    },
  };

  reporter?.line(`${def.id} seed ${seed} (${preset}) on ${request.backend.name} -> ${dir}`);
  emit({ type: "start", experiment: def.id, seed, preset });
  const finish = (status: RunSummary["status"]) => {
    summary.status = status;
    summary.timing = { ...summary.timing, finishedAt: new Date().toISOString(), seconds: Number(elapsed().toFixed(3)) };
  };
  const record = () => {
    emit({ type: "end", status: summary.status });
    writeJsonAtomic(summaryPath, summary);
  };
  try {
    const result = await execute(def, config, ctx);
    summary.metrics = result.metrics;
    if (result.details) summary.details = result.details;
    // assess() draws no figures from details of the wrong shape (right for an old summary): a fresh run's must be said
    const shape = result.details && def.details?.safeParse(result.details);
    if (shape && !shape.success) reporter?.line(`warning: ${def.id}'s details do not have the shape its figures read, so no figures were drawn (${shape.error.issues[0]?.path.join(".")}: ${shape.error.issues[0]?.message}); this is a bug in the experiment`);
    if (result.timing) summary.timing = { ...summary.timing, ...result.timing };
    Object.assign(summary, judgement(result));
    finish("complete");
    reporter?.stop();
    // "complete" is written last, after the report: a folder that says complete holds everything a run writes
    if (request.report ?? true) {
      try {
        await writeRunReport(dir, summary);
      } catch (error) {
        // The measurements are safe in summary.json; `quirklab report` can render the report again.
        reporter?.line(`warning: the run's report could not be written (${(error as Error).message}); run \`quirklab report ${runId}\` to retry`);
      }
    }
    record();
    return summary;
  } catch (error) {
    reporter?.stop();
    const e = error as Error;
    summary.error = { name: e.name, message: e.message, ...(e instanceof QuirkError && e.hint ? { hint: e.hint } : {}) };
    try {
      finish(error instanceof InterruptedError ? "interrupted" : "failed");
      record();
    } catch (recordError) {
      // The first error is the one to report (a full disk usually fails this write too); the folder's status stays
      // "running" with no owner, which `show` reports as interrupted (owner gone).
      reporter?.line(`warning: the failure could not be recorded in ${summaryPath} (${(recordError as Error).message})`);
    }
    throw error;
  }
}
