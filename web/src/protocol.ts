/** Messages between the lab page and its worker: the page holds no tfjs; every computation happens in the worker. */
import type { BackendInfo, WebBackendChoice } from "../../src/engine/backend.js";
import type { BundledDataset } from "../../src/data/fetch-source.js";
import type { ProgressUpdate, RunEvent } from "../../src/phenomena/experiment.js";
import type { MemoryRunResult } from "../../src/run/memory-run.js";

export interface CatalogEntry {
  id: string;
  title: string;
  property: string;
  description: string;
  /** The config schema as JSON Schema (input side: defaults included); the form is built from it. */
  schema: JsonSchema;
  /** Each preset's full, validated config. */
  presets: Record<string, Record<string, unknown>>;
  claim?: { statement: string; citation: string };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
}

export type RunResult = Omit<MemoryRunResult, "artifacts">;

export interface LabImage {
  title: string;
  caption: string;
  path: string;
  png: Uint8Array;
}

/** One layer's output for the inspected digit: `shape` without the batch axis (e.g. [256] or [14, 14, 32]). */
export interface InspectedLayer {
  name: string;
  kind: string;
  shape: number[];
  values: Float32Array;
}

/** A saved model of the last run: its folder under artifacts/ (e.g. "models/mlp") and a short name to show. */
export interface SavedModel {
  folder: string;
  name: string;
}

export type ToWorker =
  | { kind: "init"; backend: WebBackendChoice; dataBase: string; wasmPaths: Record<string, string> }
  | { kind: "run"; experiment: string; config: Record<string, unknown>; seed: number }
  | { kind: "fgsm"; model: string; epsilon: number; count: number }
  | { kind: "inspect"; model: string; input: { pixels: Float32Array } | { testIndex: number } }
  | { kind: "throughput"; workload: "a"; seconds: number }
  | { kind: "model-files"; files: { name: string; bytes: Uint8Array }[] };

export type FromWorker =
  | { kind: "ready"; backend: BackendInfo; catalog: CatalogEntry[]; datasets: BundledDataset[] }
  | { kind: "progress"; update: ProgressUpdate }
  | { kind: "event"; event: RunEvent & { t: number } }
  | { kind: "done"; result: RunResult; images: LabImage[]; models: SavedModel[] }
  | { kind: "fgsm"; epsilon: number; shape: number[]; clean: Float32Array; adversarial: Float32Array; labels: number[]; predictions: number[]; confidences: number[] }
  | { kind: "inspect"; pixels: Float32Array; shape: number[]; label: number; layers: InspectedLayer[]; probabilities: number[]; saliency: Float32Array }
  | { kind: "throughput"; workload: string; backend: string; examplesPerSecond: number; steps: number; seconds: number }
  | { kind: "model-loaded"; ref: string; description: string; parameters: number; inputShape: number[]; outputs: number }
  | { kind: "error"; message: string; hint?: string };
