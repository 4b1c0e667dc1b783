/**
 * One training loop for every experiment, with named hooks in Avalanche's style. Skeleton:
 *
 *   beforeTraining
 *   for each epoch:  beforeEpoch
 *     for each batch: beforeBatch (may replace the batch) -> loss = data loss + lossTerms -> gradients ->
 *                     transformGradients (may project them) -> update -> afterBatch
 *     evaluation -> afterEpoch (may set state.stop)
 *   afterTraining
 *
 * EWC, replay, distillation and SAM are plugins that add loss terms or change batches, A-GEM one that projects the
 * gradient; evaluation and logging hook
 * the same events. Data order comes from the caller's seeded stream; a loss that is NaN or infinite stops the run.
 */
import { tf, type Tensor } from "../engine/tf.js";
import { lossValue } from "../engine/loss.js";
import { ConfigError, DivergenceError, InterruptedError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Sequential } from "../models/sequential.js";
import type { Dataset } from "../data/dataset.js";
import { createOptimizer, type Optimizer } from "./optimizers.js";
import { learningRateAt } from "./schedule.js";
import { epochOrder, makeBatch, disposeBatch, sequentialOrder, type Batch } from "./batches.js";
import { evaluate, headMask, type Heads } from "./evaluate.js";
import type { TrainConfig } from "./schema.js";

export interface EpochMetrics {
  epoch: number;
  step: number;
  lr: number;
  /** Mean loss over the epoch's batches, in training mode (with dropout). */
  trainLoss: number;
  trainAccuracy: number;
  /** Loss and accuracy over the whole training set in evaluation mode, when evalTrain is on. */
  trainEvalLoss?: number;
  trainEvalAccuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
  seconds: number;
}

export interface TrainState {
  readonly model: Sequential;
  readonly config: TrainConfig;
  readonly optimizer: Optimizer;
  epoch: number;
  /** Steps taken so far (global). */
  step: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  lr: number;
  /** A plugin sets this to end training after the current step or epoch. */
  stop: boolean;
  history: EpochMetrics[];
}

type Awaitable<T> = T | Promise<T>;

export interface TrainPlugin {
  readonly name: string;
  beforeTraining?(state: TrainState): Awaitable<void>;
  beforeEpoch?(state: TrainState): Awaitable<void>;
  /** May return a replacement batch (replay, augmentation); the loop disposes both. */
  beforeBatch?(state: TrainState, batch: Batch): Batch | void;
  /** Extra scalar loss terms, computed inside the gradient tape from the batch and the model's logits. */
  lossTerms?(state: TrainState, batch: Batch, logits: Tensor): Tensor | Tensor[] | void;
  /**
   * May replace the step's gradients (one per parameter, in model.params() order) before the update, e.g. A-GEM's
   * projection. Runs inside the step's tidy: tensors it makes are freed with the step.
   */
  transformGradients?(state: TrainState, grads: Tensor[]): Tensor[] | void;
  afterBatch?(state: TrainState, info: { loss: number }): Awaitable<void>;
  afterEpoch?(state: TrainState, metrics: EpochMetrics): Awaitable<void>;
  afterTraining?(state: TrainState): Awaitable<void>;
}

export interface TrainOptions {
  /** The run's data-order stream. */
  order: Rng;
  /** Take the examples in dataset order, without shuffling (an online stream whose order is the experiment's). */
  sequential?: boolean;
  /** The run's dropout stream (needed only for models with dropout). */
  dropout?: Rng;
  test?: Dataset;
  plugins?: TrainPlugin[];
  signal?: AbortSignal;
  /** Called after each step with (step, totalSteps): progress displays. */
  onStep?: (step: number, total: number, state: TrainState) => void;
  onEpoch?: (metrics: EpochMetrics, state: TrainState) => Awaitable<void>;
  /**
   * A multi-head network (task-incremental learning): each example's softmax, loss and accuracy see only the head
   * (class group) its label belongs to — replayed examples of old tasks included. Plugins' loss terms get the full
   * logits (LwF distils the other heads).
   */
  heads?: Heads;
  /** Milliseconds between yields to the event loop (so SIGINT and UI events are seen). */
  yieldEveryMs?: number;
}

export interface TrainResult {
  history: EpochMetrics[];
  steps: number;
  seconds: number;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function train(model: Sequential, data: Dataset, config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const plugins = options.plugins ?? [];
  if (config.batchSize > data.n) {
    // a batch cannot hold more examples than the set has: running with batch n while the config says more would misreport it
    throw new ConfigError(`batchSize ${config.batchSize} is larger than the ${data.n} training examples of ${data.name}`, `use a batch size of at most ${data.n} (--set train.batchSize=${data.n}), or more training data`);
  }
  const target = config.loss === "softmax-ce" ? "labels" : "inputs";
  const stepsPerEpoch = Math.ceil(data.n / config.batchSize);
  const totalSteps = config.steps ?? stepsPerEpoch * config.epochs;
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  const optimizer = createOptimizer(config);
  const params = model.params();
  const state: TrainState = { model, config, optimizer, epoch: 0, step: 0, stepsPerEpoch, totalSteps, lr: config.lr, stop: false, history: [] };
  const started = now();
  let lastYield = now();
  let firstLoss = Number.NaN;
  const yieldEvery = options.yieldEveryMs ?? 50;
  const checkCancel = () => {
    if (options.signal?.aborted) throw new InterruptedError(String(options.signal.reason ?? "interrupted"));
  };

  try {
    for (const p of plugins) await p.beforeTraining?.(state);
    for (let epoch = 1; epoch <= epochs && !state.stop && state.step < totalSteps; epoch++) {
      state.epoch = epoch;
      const epochStart = now();
      for (const p of plugins) await p.beforeEpoch?.(state);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (const indices of options.sequential ? sequentialOrder(data.n, config.batchSize) : epochOrder(data.n, config.batchSize, options.order)) {
        if (state.step >= totalSteps || state.stop) break;
        checkCancel();
        let batch = makeBatch(data, indices, target);
        for (const p of plugins) {
          const replaced = p.beforeBatch?.(state, batch);
          if (replaced && replaced !== batch) {
            disposeBatch(batch);
            batch = replaced;
          }
        }
        state.lr = learningRateAt(config, state.step, totalSteps, stepsPerEpoch);
        const dropoutSeed = options.dropout?.nextSeed();
        const { lossNumber, hits } = tf.tidy(() => {
          let logitsKept: Tensor | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const logits = model.forward(batch.x, { training: true, dropoutSeed });
            const headLogits = options.heads && target === "labels" ? tf.add(logits, headMask(model.numOutputs, options.heads, batch.y.dataSync())) : logits;
            logitsKept = tf.keep(headLogits);
            let total = lossValue(config.loss, headLogits, batch.y);
            for (const p of plugins) {
              const extra = p.lossTerms?.(state, batch, logits);
              if (!extra) continue;
              for (const term of Array.isArray(extra) ? extra : [extra]) total = tf.add(total, term);
            }
            return total as tf.Scalar;
          }, params.map((p) => p.variable));
          const lossNumber = value.dataSync()[0]!;
          if (!Number.isFinite(lossNumber)) throw new DivergenceError(epoch, state.step + 1, lossNumber);
          if (Number.isNaN(firstLoss)) firstLoss = lossNumber;
          const limit = config.divergenceFactor * Math.max(firstLoss, 1e-3);
          if (config.divergenceFactor > 0 && lossNumber > limit) {
            throw new DivergenceError(epoch, state.step + 1, lossNumber, `above ${config.divergenceFactor} x the first batch's loss ${firstLoss.toPrecision(4)}`);
          }
          let gradients = params.map((p) => grads[p.variable.name]!);
          for (const p of plugins) gradients = p.transformGradients?.(state, gradients) ?? gradients;
          optimizer.step(params, gradients, state.lr);
          const hits =
            target === "labels" ? tf.sum(tf.cast(tf.equal(tf.argMax(logitsKept!, 1), batch.y), "int32")).dataSync()[0]! : 0;
          tf.dispose(logitsKept!);
          return { lossNumber, hits };
        });
        const size = batch.indices.length;
        disposeBatch(batch);
        lossSum += lossNumber * size;
        correct += hits;
        seen += size;
        state.step++;
        for (const p of plugins) await p.afterBatch?.(state, { loss: lossNumber });
        options.onStep?.(state.step, totalSteps, state);
        if (now() - lastYield > yieldEvery) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      checkCancel();
      const metrics: EpochMetrics = {
        epoch,
        step: state.step,
        lr: state.lr,
        trainLoss: lossSum / seen,
        trainAccuracy: target === "labels" ? correct / seen : Number.NaN,
        seconds: (now() - epochStart) / 1000,
      };
      if (config.evalTrain) {
        const e = evaluate(model, data, config.loss, 1000, options.heads);
        metrics.trainEvalLoss = e.loss;
        metrics.trainEvalAccuracy = e.accuracy;
      }
      if (options.test) {
        const e = evaluate(model, options.test, config.loss, 1000, options.heads);
        metrics.testLoss = e.loss;
        metrics.testAccuracy = e.accuracy;
      }
      state.history.push(metrics);
      for (const p of plugins) await p.afterEpoch?.(state, metrics);
      await options.onEpoch?.(metrics, state);
      await yieldToEventLoop();
      lastYield = now();
    }
    for (const p of plugins) await p.afterTraining?.(state);
  } finally {
    optimizer.dispose();
  }
  return { history: state.history, steps: state.step, seconds: (now() - started) / 1000 };
}
