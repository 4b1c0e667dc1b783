/**
 * Node's model source for `quirklab inspect`: a user's saved model by path, fingerprinted by its bytes, and
 * quirklab's baseline networks, trained by the baseline experiment's standard preset (seed 1) into the runs folder
 * once and reused from there like any complete run.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { DataSource } from "../data/dataset.js";
import type { BackendInfo } from "../engine/backend.js";
import type { LoadedModel, ModelSource } from "../phenomena/experiment.js";
import { loadAnyModel, loadModel, modelFileBytes } from "../models/load.js";
import { QuirkError } from "../core/errors.js";
import type { ProgressReporter } from "./progress.js";
import { runExperiment } from "./runner.js";

export const REFERENCE_SEED = 1;

export class NodeModelSource implements ModelSource {
  constructor(private readonly options: { runsDir: string; backend: BackendInfo; data: DataSource; reporter?: ProgressReporter; signal?: AbortSignal }) {}

  async load(ref: string): Promise<LoadedModel> {
    return loadAnyModel(ref);
  }

  async fingerprint(ref: string): Promise<string> {
    const hash = createHash("sha256");
    for (const bytes of modelFileBytes(ref)) hash.update(bytes);
    return hash.digest("hex").slice(0, 16);
  }

  async reference(kind: "mlp" | "cnn", dataset: string): Promise<LoadedModel> {
    const { runsDir, backend, data, reporter, signal } = this.options;
    reporter?.line(`reference: quirklab's baseline ${kind} on ${dataset} (standard preset, seed ${REFERENCE_SEED}; trained once, then reused from ${runsDir})`);
    const summary = await runExperiment({
      experiment: "baseline",
      preset: "standard",
      sets: [`model.kind=${kind}`, `data.dataset=${dataset}`],
      seed: REFERENCE_SEED,
      runsDir,
      backend,
      data,
      ...(reporter ? { reporter } : {}),
      ...(signal ? { signal } : {}),
    });
    if (summary.status !== "complete") throw new QuirkError(`the baseline ${kind} on ${dataset} did not complete (${summary.status})`, "run the inspection again, or pass --reference none");
    const folder = join(runsDir, summary.runId, "artifacts", "model");
    const { model, droppedSoftmax } = loadModel(folder);
    return { model, droppedSoftmax, description: `baseline run ${summary.runId} (${kind}, ${dataset}, test accuracy ${((summary.metrics.testAccuracy ?? Number.NaN) * 100).toFixed(2)}%)` };
  }
}
