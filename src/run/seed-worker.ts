/** A worker thread of `--seeds`: runs one seed's experiment and returns its summary (errors as data, not throws). */
import { initBackend, type BackendChoice } from "../engine/backend.js";
import { nodeNativeProvider } from "../engine/native.js";
import { NodeDataSource } from "../data/node-source.js";
import { QuirkError } from "../core/errors.js";
import type { PresetName } from "../phenomena/experiment.js";
import { runExperiment } from "./runner.js";
import { createReporter } from "./progress.js";
import type { RunSummary } from "../store/summary.js";

export interface SeedTask {
  experiment: string;
  preset: PresetName;
  sets: string[];
  configFile?: Record<string, unknown>;
  seed: number;
  runsDir: string;
  backend: BackendChoice;
  dataDirs: Record<string, string>;
  force: boolean;
  quiet: boolean;
  /** Int32 flag set to 1 by the parent on SIGINT (signals reach only the main thread). */
  interrupt: SharedArrayBuffer;
}

export type SeedOutcome = { ok: true; summary: RunSummary } | { ok: false; seed: number; error: { name: string; message: string; hint?: string } };

export default async function runSeed(task: SeedTask): Promise<SeedOutcome> {
  const flag = new Int32Array(task.interrupt);
  const controller = new AbortController();
  const poll = setInterval(() => {
    if (Atomics.load(flag, 0) === 1) controller.abort("SIGINT");
  }, 50);
  try {
    const backend = await initBackend(task.backend, nodeNativeProvider());
    const summary = await runExperiment({
      experiment: task.experiment,
      preset: task.preset,
      sets: task.sets,
      configFile: task.configFile,
      seed: task.seed,
      runsDir: task.runsDir,
      backend,
      data: new NodeDataSource(task.dataDirs),
      force: task.force,
      signal: controller.signal,
      reporter: createReporter({ prefix: `[seed ${task.seed}]`, quiet: task.quiet, interactive: false }),
    });
    return { ok: true, summary };
  } catch (error) {
    const e = error as Error;
    return { ok: false, seed: task.seed, error: { name: e.name, message: e.message, ...(e instanceof QuirkError && e.hint ? { hint: e.hint } : {}) } };
  } finally {
    clearInterval(poll);
  }
}
