/**
 * The lab's compute: runs quirklab's experiments (the same modules the CLI runs, from src/phenomena) on tfjs webgl or
 * wasm, streams their events and progress to the page, and keeps the last run's artifacts so the page can explore
 * its models (the FGSM slider) without training again.
 */
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { z } from "zod";
import { tf } from "../../src/engine/tf.js";
import { initWebBackend, type BackendInfo } from "../../src/engine/backend.js";
import { FetchDataSource } from "../../src/data/fetch-source.js";
import { experiments, findExperiment } from "../../src/phenomena/registry.js";
import { resolveConfig, PRESETS } from "../../src/run/config.js";
import { runInMemory } from "../../src/run/memory-run.js";
import { QuirkError } from "../../src/core/errors.js";
import { RngStreams } from "../../src/core/rng.js";
import { loadSplits, type DataConfig } from "../../src/phenomena/data.js";
import { firstExamples, outcome } from "../../src/analysis/attacks/measure.js";
import { gradientSaliency } from "../../src/analysis/inside/saliency.js";
import { LinfFgsm } from "../../src/analysis/attacks/linf.js";
import { fromArtifacts, type ModelJson } from "../../src/models/io.js";
import { makeWorkload } from "../../src/training/workloads.js";
import type { CatalogEntry, FromWorker, LabImage, ToWorker } from "./protocol.js";
import type { ModelSource } from "../../src/phenomena/experiment.js";
import { modelEntry, modelFromFiles } from "../../src/models/from-files.js";

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

let data: FetchDataSource | null = null;
let backend: BackendInfo | null = null;
let last: { experiment: string; seed: number; config: Record<string, unknown>; artifacts: Map<string, Uint8Array | string> } | null = null;
/** The files of the model dropped into the Inspect tab, by name. */
let dropped = new Map<string, Uint8Array>();

/** Inspect's models: the dropped files (no baseline comparison here: the lab does not train the reference). */
const droppedModels: ModelSource = {
  async load(ref) {
    if (dropped.size === 0) throw new QuirkError("no model has been dropped", "drop a model.json with its weights, or an .onnx file, onto the Inspect tab first");
    return modelFromFiles(dropped, ref);
  },
  async fingerprint(ref) {
    return `dropped:${ref}:${dropped.get(ref)?.length ?? 0}`;
  },
};

function catalog(): CatalogEntry[] {
  return experiments.map((def) => {
    const presets: Record<string, Record<string, unknown>> = {};
    for (const preset of PRESETS) if (def.presets[preset]) presets[preset] = resolveConfig(def, { preset }) as Record<string, unknown>;
    return {
      id: def.id,
      title: def.title,
      property: def.property,
      description: def.description,
      schema: z.toJSONSchema(def.schema, { io: "input", unrepresentable: "any" }) as CatalogEntry["schema"],
      presets,
      ...(def.claim ? { claim: { statement: def.claim.statement, citation: def.claim.citation } } : {}),
    };
  });
}

/** A model the last run saved, loaded fresh (the caller disposes it). */
function savedModel(folder: string) {
  if (!last) throw new QuirkError("no finished run with a saved model", "run an experiment that saves its models first");
  const json = last.artifacts.get(`${folder}/model.json`);
  const weights = bytesOf(last.artifacts.get(`${folder}/weights.bin`));
  if (typeof json !== "string" || !weights) throw new QuirkError(`the last run saved no model in ${folder}`);
  return { model: fromArtifacts(JSON.parse(json) as ModelJson, weights, `${folder}/model.json`).model, run: last };
}

/** The test digits a run used: its seed's data stream draws train then test, as every run does. */
async function runTestSet(run: NonNullable<typeof last>) {
  if (!data) throw new QuirkError("the lab's worker is not initialized", "reload the page");
  return (await loadSplits({ streams: new RngStreams(run.seed), data }, run.config.data as DataConfig)).test;
}

function bytesOf(value: Uint8Array | string | undefined): Uint8Array | undefined {
  return typeof value === "string" ? new TextEncoder().encode(value) : value;
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case "init": {
      setWasmPaths(message.wasmPaths);
      backend = await initWebBackend(message.backend);
      data = new FetchDataSource(message.dataBase);
      post({ kind: "ready", backend, catalog: catalog(), datasets: (await data.bundle()).datasets });
      return;
    }
    case "run": {
      if (!backend || !data) throw new QuirkError("the lab's worker is not initialized", "reload the page");
      const def = findExperiment(message.experiment);
      if (!def) throw new QuirkError(`unknown experiment "${message.experiment}"`, "pick one from the panel's list");
      last = null;
      const result = await runInMemory(def, message.config, {
        seed: message.seed,
        data,
        backend,
        models: droppedModels,
        onEvent: (event) => post({ kind: "event", event }),
        onProgress: (update) => post({ kind: "progress", update }),
      });
      const { artifacts, ...rest } = result;
      last = { experiment: def.id, seed: message.seed, config: result.config, artifacts };
      const listed = ((result.details?.images ?? []) as { title: string; caption: string; path: string }[]).filter((i) => artifacts.has(i.path));
      const images: LabImage[] = listed.map((i) => ({ ...i, png: bytesOf(artifacts.get(i.path))! }));
      const models = [...artifacts.keys()]
        .filter((p) => p.endsWith("/model.json") && artifacts.has(p.replace(/model\.json$/, "weights.bin")))
        .map((p) => {
          const folder = p.slice(0, -"/model.json".length);
          return { folder, name: folder.split("/").at(-1)! };
        });
      post({ kind: "done", result: rest, images, models });
      return;
    }
    case "fgsm": {
      const { model, run } = savedModel(message.model);
      try {
        const test = await runTestSet(run);
        const shown = firstExamples(test, message.count);
        const x = tf.tensor2d(shown.x, [shown.n, shown.x.length / shown.n]);
        const [r] = new LinfFgsm().call(model, x, { kind: "misclassification", labels: shown.y }, [message.epsilon], new RngStreams(run.seed).get("attack"));
        const adv = outcome(model, r!.clipped, shown.y);
        const adversarial = Float32Array.from(r!.clipped.dataSync());
        tf.dispose([x, r!.raw, r!.clipped]);
        post({ kind: "fgsm", epsilon: message.epsilon, shape: shown.shape, clean: shown.x, adversarial, labels: Array.from(shown.y), predictions: Array.from(adv.predictions), confidences: Array.from(adv.confidences) });
      } finally {
        model.dispose();
      }
      return;
    }
    case "inspect": {
      const { model, run } = savedModel(message.model);
      try {
        let pixels: Float32Array;
        let label = -1;
        if ("pixels" in message.input) pixels = message.input.pixels;
        else {
          const test = await runTestSet(run);
          const i = ((message.input.testIndex % test.n) + test.n) % test.n;
          const size = test.x.length / test.n;
          pixels = test.x.slice(i * size, (i + 1) * size);
          label = test.y[i]!;
        }
        const x = tf.tensor2d(pixels, [1, pixels.length]);
        const outputs = model.layerOutputs(x);
        const layers = outputs.map((o) => ({ name: o.name, kind: o.kind, shape: o.output.shape.slice(1), values: Float32Array.from(o.output.dataSync()) }));
        const probabilities = Array.from(tf.tidy(() => tf.softmax(model.predict(x))).dataSync());
        const grad = gradientSaliency(model, x);
        const saliency = Float32Array.from(grad.dataSync());
        tf.dispose([x, grad, ...outputs.map((o) => o.output)]);
        // an MLP's input shape is flat; the lab's images are square grayscale
        const side = Math.round(Math.sqrt(pixels.length));
        post({ kind: "inspect", pixels, shape: model.inputShape.length >= 2 ? model.inputShape : [side, side], label, layers, probabilities, saliency });
      } finally {
        model.dispose();
      }
      return;
    }
    case "model-files": {
      const files = new Map(message.files.map((f) => [f.name, f.bytes] as const));
      const ref = modelEntry(files);
      // built once here so a bad drop is reported at once, not when the inspection starts
      const { model, description } = modelFromFiles(files, ref);
      try {
        dropped = files;
        post({ kind: "model-loaded", ref, description: `${description}: ${model.toString()}`, parameters: model.parameterCount(), inputShape: model.inputShape, outputs: model.numOutputs });
      } finally {
        model.dispose();
      }
      return;
    }
    case "throughput": {
      if (!backend) throw new QuirkError("the lab's worker is not initialized", "reload the page");
      const workload = makeWorkload(message.workload);
      try {
        for (let i = 0; i < 3; i++) workload.step(); // warm-up: shader compilation, wasm memory growth
        await tf.ready();
        const start = performance.now();
        let steps = 0;
        while (performance.now() - start < message.seconds * 1000) {
          workload.step();
          steps++;
        }
        const seconds = (performance.now() - start) / 1000;
        post({ kind: "throughput", workload: message.workload, backend: backend.name, steps, seconds, examplesPerSecond: (steps * workload.batch) / seconds });
      } finally {
        workload.dispose();
      }
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((error: unknown) => {
    const err = error as Error & { hint?: string };
    post({ kind: "error", message: err.message ?? String(error), ...(err.hint ? { hint: err.hint } : {}) });
  });
};
