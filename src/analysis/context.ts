/**
 * What the shared science needs from whoever runs it (the CLI's runner, a worker thread, the browser lab): named
 * random streams, cancellation, and sinks for progress and events. An experiment's context is a superset of it.
 */
import type { RngStreams } from "../core/rng.js";
import type { Sequential } from "../models/sequential.js";

export interface ProgressUpdate {
  phase: string;
  step: number;
  total: number;
  /** A short line of current figures, e.g. "loss 0.31 acc 0.912". */
  detail?: string;
  /**
   * A fine-grained update (a training step, a grid point): drives the bar on a terminal; in plain-line mode only the
   * last one and one every few seconds are printed. Coarse updates (a model, a condition done) are always printed.
   */
  fine?: boolean;
}

/** An event appended to metrics.jsonl; `type` says what it is (epoch, phase, point ...). */
export interface RunEvent {
  type: string;
  [key: string]: unknown;
}

export interface TrainingContext {
  streams: RngStreams;
  signal: AbortSignal;
  emit(event: RunEvent): void;
  progress(update: ProgressUpdate): void;
  /**
   * Called with every named network once it is trained (trainNamedModel): the runners write it into the run's
   * artifacts (models/<name>/), so the figures computed from it can be re-checked elsewhere (the run folder) or
   * inspected and attacked in the lab (the in-memory run).
   */
  trained?(name: string, model: Sequential): Promise<void>;
}
