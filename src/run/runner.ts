/**
 * Runs one experiment for one seed into a run folder:
 *   runs/<id>/config.json     the validated config
 *   runs/<id>/manifest.json   versions, backend, machine
 *   runs/<id>/metrics.jsonl   append-only events
 *   runs/<id>/summary.json    status, final metrics, verdict (written at start as "running", atomically replaced)
 *   runs/<id>/artifacts/      models, images, plots
 *   runs/<id>/report/         index.html, summary.md, figures (SVG and PNG)
 * The id is a hash of experiment, config, seed, backend and quirklab version: the same request names the same folder.
 */
import { cpus, platform, arch, totalmem } from "node:os";
import { existsSync, rmSync, mkdirSync } from "node:fs";
import { join, normalize, isAbsolute } from "node:path";
import { stableId } from "../core/hash.js";
import { RngStreams } from "../core/rng.js";
import { ConfigError, InterruptedError, QuirkError } from "../core/errors.js";
import type { BackendInfo } from "../engine/backend.js";
import type { DataSource } from "../data/dataset.js";
import type { ExperimentContext, ExperimentDefinition, PresetName, RunEvent } from "../phenomena/experiment.js";
import { experiments, findExperiment } from "../phenomena/registry.js";
import { resolveConfig } from "./config.js";
import { appendJsonLine, readJson, writeAtomic, writeJsonAtomic } from "./files.js";
import type { ProgressReporter } from "./progress.js";
import type { RunSummary } from "./summary.js";
import { QUIRKLAB_VERSION, dependencyVersion } from "./version.js";
import { writeRunReport } from "../report/write.js";

export interface RunRequest {
  experiment: string;
  preset?: PresetName;
  sets?: string[];
  configFile?: Record<string, unknown>;
  seed: number;
  runsDir: string;
  backend: BackendInfo;
  data: DataSource;
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

export function runIdFor(experiment: string, config: unknown, seed: number, backend: string): string {
  return stableId({ experiment, config, seed, backend, version: QUIRKLAB_VERSION });
}

export function validateSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError(`seed must be an integer in [0, 4294967295], got ${seed}`, "pass e.g. --seed 1");
  }
  return seed;
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
  const runId = runIdFor(def.id, config, seed, request.backend.name);
  const dir = join(request.runsDir, runId);
  const summaryPath = join(dir, "summary.json");
  const reporter = request.reporter;

  const previous = readJson<RunSummary>(summaryPath);
  if (previous?.status === "complete" && !request.force) {
    reporter?.line(`run ${runId} is already complete: reusing it (--force runs it again)`);
    return previous;
  }
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "artifacts"), { recursive: true });
  writeJsonAtomic(join(dir, "config.json"), config);
  writeJsonAtomic(join(dir, "manifest.json"), manifest(request.backend));

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
    data: request.data,
    signal: request.signal ?? new AbortController().signal,
    backend: request.backend,
    emit,
    progress: (update) => reporter?.update(update),
    artifacts: {
      async write(path, data) {
        const target = normalize(path);
        if (isAbsolute(target) || target.startsWith("..")) throw new Error(`artifact path must stay inside the run folder: ${path}`);
        writeAtomic(join(dir, "artifacts", target), data);
      },
    },
  };

  reporter?.line(`${def.id} seed ${seed} (${preset}) on ${request.backend.name} -> ${dir}`);
  emit({ type: "start", experiment: def.id, seed, preset });
  const finish = (status: RunSummary["status"]) => {
    summary.status = status;
    summary.timing = { ...summary.timing, finishedAt: new Date().toISOString(), seconds: Number(elapsed().toFixed(3)) };
    emit({ type: "end", status });
    writeJsonAtomic(summaryPath, summary);
  };
  try {
    const result = await def.run(config, ctx);
    summary.metrics = result.metrics;
    if (result.details) summary.details = result.details;
    if (result.timing) summary.timing = { ...summary.timing, ...result.timing };
    if (def.claim) summary.verdict = def.claim.verdict(result.metrics, config);
    finish("complete");
    reporter?.stop();
    if (request.report ?? true) {
      try {
        await writeRunReport(dir, summary);
      } catch (error) {
        // The measurements are safe in summary.json; `quirklab report` can render the report again.
        reporter?.line(`warning: the run's report could not be written (${(error as Error).message}); run \`quirklab report ${runId}\` to retry`);
      }
    }
    return summary;
  } catch (error) {
    reporter?.stop();
    const e = error as Error;
    summary.error = { name: e.name, message: e.message, ...(e instanceof QuirkError && e.hint ? { hint: e.hint } : {}) };
    finish(error instanceof InterruptedError ? "interrupted" : "failed");
    throw error;
  }
}
