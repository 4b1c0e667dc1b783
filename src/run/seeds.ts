/**
 * `--seeds 1,2,3`: one experiment over several seeds in worker threads (one per core, piscina), then one aggregate
 * summary with mean, sd and 95% interval of every metric, and the claim's verdict computed on the means.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { stableId } from "../core/hash.js";
import { summarize } from "../core/stats.js";
import { ConfigError, InterruptedError, QuirkError } from "../core/errors.js";
import type { BackendChoice } from "../engine/backend.js";
import type { PresetName } from "../phenomena/experiment.js";
import { resolveConfig } from "./config.js";
import { assess, judgement } from "../phenomena/assess.js";
import { dataFingerprints, getExperiment, validateSeed } from "./runner.js";
import { ensureRunsDir } from "../store/folders.js";
import { NodeDataSource } from "../data/node-source.js";
import { writeJsonAtomic } from "../store/files.js";
import type { AggregateSummary, RunSummary } from "../store/summary.js";
import type { SeedOutcome, SeedTask } from "./seed-worker.js";
import { QUIRKLAB_VERSION } from "./version.js";
import type { ProgressReporter } from "./progress.js";

export interface SeedsRequest {
  experiment: string;
  preset?: PresetName;
  sets?: string[];
  configFile?: Record<string, unknown>;
  seeds: number[];
  runsDir: string;
  backend: BackendChoice;
  dataDirs?: Record<string, string>;
  force?: boolean;
  quiet?: boolean;
  threads?: number;
  signal?: AbortSignal;
  reporter?: ProgressReporter;
}

const SEEDS_HINT = "write e.g. --seeds 1,2,3 or --seeds 1..5";

/** "1,2,3", "1..5" or a mix ("1,4..6"): every part a seed or an ascending range of at most 10,000 seeds. */
export function parseSeeds(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.every((p) => p === "")) throw new ConfigError(`--seeds "${text}" names no seed`, SEEDS_HINT);
  const seeds = parts.flatMap((part) => {
    if (part === "") throw new ConfigError(`--seeds "${text}" has an empty entry`, SEEDS_HINT);
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [validateSeed(range[1]!), validateSeed(range[2]!)];
      if (to < from) throw new ConfigError(`--seeds "${text}": the range ${part} runs backwards`, `write it ascending: ${to}..${from}`);
      if (to - from >= 10000) throw new ConfigError(`--seeds "${text}": the range ${part} holds ${to - from + 1} seeds`, "at most 10,000 seeds in one range");
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    }
    if (!/^\d+$/.test(part)) throw new ConfigError(`--seeds "${text}": "${part}" is not a seed (a whole number) or a range (a..b)`, SEEDS_HINT);
    return [validateSeed(part)];
  });
  if (new Set(seeds).size !== seeds.length) throw new ConfigError(`--seeds "${text}" repeats a seed`, "list each seed once");
  return seeds;
}

/** The numeric metrics all runs share, summarized over seeds. */
export function aggregateMetrics(summaries: RunSummary[]): AggregateSummary["metrics"] {
  const keys = Object.keys(summaries[0]?.metrics ?? {}).filter((k) => summaries.every((s) => typeof s.metrics[k] === "number"));
  return Object.fromEntries(keys.map((k) => [k, summarize(summaries.map((s) => s.metrics[k]!))]));
}

function workerFile(): { filename: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  // Under tsx/vitest this module is the .ts source and the worker needs the same loader.
  if (self.endsWith(".ts")) return { filename: join(self, "..", "seed-worker.ts"), execArgv: ["--import", "tsx"] };
  return { filename: join(self, "..", "seed-worker.js"), execArgv: [] };
}

export async function runSeeds(request: SeedsRequest): Promise<AggregateSummary> {
  const def = getExperiment(request.experiment);
  const preset = request.preset ?? "standard";
  const config = resolveConfig(def, { preset, file: request.configFile, sets: request.sets }) as Record<string, unknown>;
  const seeds = request.seeds.map((seed) => validateSeed(seed));
  // the data is fingerprinted here too: a missing dataset stops before any worker starts, and the aggregate's id covers it
  const fingerprints = await dataFingerprints(config, new NodeDataSource(request.dataDirs ?? {}));
  ensureRunsDir(request.runsDir);
  const threads = Math.max(1, Math.min(seeds.length, request.threads ?? availableParallelism()));
  const interrupt = new SharedArrayBuffer(4);
  const onAbort = () => Atomics.store(new Int32Array(interrupt), 0, 1);
  request.signal?.addEventListener("abort", onAbort, { once: true });
  const { filename, execArgv } = workerFile();
  // Several workers must not each start a multi-threaded native pool on 2 cores.
  const env = { ...process.env, ...(threads > 1 ? { QUIRKLAB_THREADS: "1" } : {}) };
  const pool = new Piscina<SeedTask, SeedOutcome>({ filename, execArgv, minThreads: threads, maxThreads: threads, env, idleTimeout: 1000 });
  request.reporter?.line(`${def.id}: ${seeds.length} seeds on ${threads} worker thread(s)`);
  const started = Date.now();
  let outcomes: SeedOutcome[];
  try {
    outcomes = await Promise.all(
      seeds.map((seed) =>
        pool.run({
          experiment: def.id,
          preset,
          sets: request.sets ?? [],
          configFile: request.configFile,
          seed,
          runsDir: request.runsDir,
          backend: request.backend,
          dataDirs: request.dataDirs ?? {},
          force: request.force ?? false,
          quiet: request.quiet ?? false,
          interrupt,
        }),
      ),
    );
  } finally {
    request.signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }
  const summaries = outcomes.filter((o): o is Extract<SeedOutcome, { ok: true }> => o.ok).map((o) => o.summary);
  const failures = outcomes.filter((o): o is Extract<SeedOutcome, { ok: false }> => !o.ok);
  const interrupted = failures.some((f) => f.error.name === "InterruptedError");
  const backend = summaries[0]?.backend ?? request.backend;
  const runId = stableId({ experiment: def.id, config, seeds, backend, version: QUIRKLAB_VERSION, data: fingerprints });
  const metrics = aggregateMetrics(summaries);
  const aggregate: AggregateSummary = {
    runId,
    kind: "aggregate",
    experiment: def.id,
    status: failures.length === 0 ? "complete" : interrupted ? "interrupted" : "failed",
    quirklabVersion: QUIRKLAB_VERSION,
    seeds,
    runs: summaries.map((s) => s.runId),
    preset,
    config,
    backend,
    metrics,
    ...(def.claim ? { claim: { statement: def.claim.statement, citation: def.claim.citation } } : {}),
    timing: { seconds: (Date.now() - started) / 1000, threads },
  };
  if (def.claim && summaries.length > 0) {
    const means = Object.fromEntries(Object.entries(metrics).map(([k, s]) => [k, s.mean]));
    const judged = judgement(assess(def, config, { metrics: means }));
    Object.assign(aggregate, judged, { verdict: { ...judged.verdict!, note: `mean over ${summaries.length} seed(s): ${judged.verdict!.note}` } });
  }
  writeJsonAtomic(join(request.runsDir, runId, "config.json"), config);
  writeJsonAtomic(join(request.runsDir, runId, "summary.json"), aggregate);
  if (failures.length > 0) {
    const first = failures[0]!;
    const message = `${failures.length} of ${seeds.length} seed(s) did not complete (seed ${first.seed}: ${first.error.message}); partial aggregate in ${join(request.runsDir, runId)}`;
    throw interrupted ? new InterruptedError(message) : new QuirkError(message, first.error.hint);
  }
  return aggregate;
}
