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
 * gradient. Head masking (transformLogits), the divergence guard (afterLoss), evaluation (epochMetrics) and the
 * caller's progress callbacks are plugins too, on the same hooks. Data order comes from the caller's seeded stream.
 */
import { tf, type Tensor } from "../engine/tf.js";
import { lossValue } from "../engine/loss.js";
import { ConfigError, DivergenceError } from "../core/errors.js";
import { throwIfInterrupted } from "../core/interrupt.js";
import type { Rng } from "../core/rng.js";
import type { Sequential } from "../models/sequential.js";
import type { Dataset } from "../data/dataset.js";
import { createOptimizer, type Optimizer } from "./optimizers.js";
import { learningRateAt, stepsPerEpochOf, totalStepsOf } from "./schedule.js";
import { epochOrder, makeBatch, disposeBatch, sequentialOrder, targetOf, type Batch } from "./batches.js";
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
  /**
   * May replace the logits the data loss and the accuracy see (head masking), inside the gradient tape; loss terms
   * still get the model's own logits.
   */
  transformLogits?(state: TrainState, batch: Batch, logits: Tensor): Tensor | void;
  /** Extra scalar loss terms, computed inside the gradient tape from the batch and the model's logits. */
  lossTerms?(state: TrainState, batch: Batch, logits: Tensor): Tensor | Tensor[] | void;
  /**
   * May replace the step's gradients (one per parameter, in model.params() order) before the update, e.g. A-GEM's
   * projection. Runs inside the step's tidy: tensors it makes are freed with the step.
   */
  transformGradients?(state: TrainState, grads: Tensor[]): Tensor[] | void;
  /** The step's loss value, before the update: a guard may throw here (divergence) and the step is not taken. */
  afterLoss?(state: TrainState, loss: number): void;
  afterBatch?(state: TrainState, info: { loss: number }): Awaitable<void>;
  /** Adds figures to the epoch's metrics (evaluation) before any plugin's afterEpoch sees them. */
  epochMetrics?(state: TrainState, metrics: EpochMetrics): void;
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

/**
 * The loop itself: order, batches, the step, hooks. Everything else it used to do in line (head masking, the
 * divergence guard, evaluation, the caller's progress and epoch callbacks) is a plugin of its own, appended around the
 * caller's plugins in the order those steps always ran.
 */
export async function train(model: Sequential, data: Dataset, config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  if (config.batchSize > data.n) {
    // a batch cannot hold more examples than the set has: running with batch n while the config says more would misreport it
    throw new ConfigError(`batchSize ${config.batchSize} is larger than the ${data.n} training examples of ${data.name}`, `use a batch size of at most ${data.n} (--set train.batchSize=${data.n}), or more training data`);
  }
  const plugins: TrainPlugin[] = [
    ...(options.heads ? [headMaskPlugin(options.heads)] : []),
    ...(options.plugins ?? []),
    divergenceGuard(config.divergenceFactor),
    evaluationPlugin(data, config, options),
    // the caller's callbacks see an epoch after every plugin has (an early stop decided in afterEpoch included)
    ...(options.onStep || options.onEpoch ? [callbackPlugin(options)] : []),
  ];
  const target = targetOf(config.loss);
  const stepsPerEpoch = stepsPerEpochOf(data.n, config.batchSize);
  const totalSteps = totalStepsOf(config, data.n);
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  const optimizer = createOptimizer(config);
  const params = model.params();
  const state: TrainState = { model, config, optimizer, epoch: 0, step: 0, stepsPerEpoch, totalSteps, lr: config.lr, stop: false, history: [] };
  const started = now();
  let lastYield = now();
  const yieldEvery = options.yieldEveryMs ?? 50;

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
        throwIfInterrupted(options.signal);
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
            let scored = logits;
            if (target === "labels") for (const p of plugins) scored = p.transformLogits?.(state, batch, scored) ?? scored;
            logitsKept = tf.keep(scored);
            let total = lossValue(config.loss, scored, batch.y);
            for (const p of plugins) {
              const extra = p.lossTerms?.(state, batch, logits);
              if (!extra) continue;
              for (const term of Array.isArray(extra) ? extra : [extra]) total = tf.add(total, term);
            }
            return total as tf.Scalar;
          }, params.map((p) => p.variable));
          const lossNumber = value.dataSync()[0]!;
          for (const p of plugins) p.afterLoss?.(state, lossNumber);
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
        if (now() - lastYield > yieldEvery) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
      throwIfInterrupted(options.signal);
      const metrics: EpochMetrics = {
        epoch,
        step: state.step,
        lr: state.lr,
        trainLoss: lossSum / seen,
        trainAccuracy: target === "labels" ? correct / seen : Number.NaN,
        seconds: (now() - epochStart) / 1000,
      };
      for (const p of plugins) p.epochMetrics?.(state, metrics);
      state.history.push(metrics);
      for (const p of plugins) await p.afterEpoch?.(state, metrics);
      await yieldToEventLoop();
      lastYield = now();
    }
    for (const p of plugins) await p.afterTraining?.(state);
  } finally {
    optimizer.dispose();
  }
  return { history: state.history, steps: state.step, seconds: (now() - started) / 1000 };
}

/**
 * Task-incremental learning: each example's softmax, loss and accuracy see only the head (class group) its label
 * belongs to, replayed examples of old tasks included.
 */
export function headMaskPlugin(heads: Heads): TrainPlugin {
  return {
    name: "head-mask",
    transformLogits: (state, batch, logits) => tf.add(logits, headMask(state.model.numOutputs, heads, batch.y.dataSync())),
  };
}

/**
 * Stops a run whose loss is NaN or infinite, or (factor > 0) above factor x the first batch's loss, before the step
 * that would take the weights there.
 */
export function divergenceGuard(factor: number): TrainPlugin {
  let firstLoss = Number.NaN;
  return {
    name: "divergence-guard",
    afterLoss(state, loss) {
      if (!Number.isFinite(loss)) throw new DivergenceError(state.epoch, state.step + 1, loss);
      if (Number.isNaN(firstLoss)) firstLoss = loss;
      if (factor > 0 && loss > factor * Math.max(firstLoss, 1e-3)) {
        throw new DivergenceError(state.epoch, state.step + 1, loss, `above ${factor} x the first batch's loss ${firstLoss.toPrecision(4)}`);
      }
    },
  };
}

/** The epoch's evaluation: the whole training set in evaluation mode (evalTrain) and the test set, when given. */
export function evaluationPlugin(data: Dataset, config: TrainConfig, options: Pick<TrainOptions, "test" | "heads">): TrainPlugin {
  return {
    name: "evaluation",
    epochMetrics(state, metrics) {
      if (config.evalTrain) {
        const e = evaluate(state.model, data, config.loss, 1000, options.heads);
        metrics.trainEvalLoss = e.loss;
        metrics.trainEvalAccuracy = e.accuracy;
      }
      if (options.test) {
        const e = evaluate(state.model, options.test, config.loss, 1000, options.heads);
        metrics.testLoss = e.loss;
        metrics.testAccuracy = e.accuracy;
      }
    },
  };
}

/** The caller's progress and epoch callbacks, last, after every other plugin has seen the step or the epoch. */
function callbackPlugin(options: Pick<TrainOptions, "onStep" | "onEpoch">): TrainPlugin {
  return {
    name: "callbacks",
    afterBatch(state) {
      options.onStep?.(state.step, state.totalSteps, state);
    },
    async afterEpoch(state, metrics) {
      await options.onEpoch?.(metrics, state);
    },
  };
}
