/**
 * Running continual-learning strategies over a task sequence: every strategy starts from the same initialization and
 * sees the tasks in the same data order; after each task the test (and validation) accuracy on every task fills a row
 * of the accuracy matrix. Lambdas of EWC, online EWC and L2 are chosen on the validation split, never the test set.
 */
import { DivergenceError } from "../../core/errors.js";
import { mean } from "../../core/stats.js";
import { select, type Dataset } from "../../data/dataset.js";
import { concatDatasets } from "../../data/transforms.js";
import { buildModel, type ModelSpec } from "../../models/builders.js";
import type { Sequential } from "../../models/sequential.js";
import { train, type TrainPlugin } from "../../training/loop.js";
import type { TrainConfig } from "../../training/schema.js";
import { evaluate, type Heads } from "../../training/evaluate.js";
import type { ExperimentContext } from "../experiment.js";
import type { Strategy } from "./specs.js";
import { continualMetrics } from "../../analysis/continual/metrics.js";
import { diagonalFisher, type FisherKind } from "../../analysis/continual/fisher.js";
import { agemPlugin, anchorPenaltyPlugin, lwfPlugin, mergeAnchors, replayPlugin, type Anchor } from "../../analysis/continual/plugins.js";
import { EpisodicMemory, ReservoirBuffer } from "../../analysis/continual/buffer.js";
import { imageGridPng } from "../../core/image-grid.js";
import { featureSize } from "../../data/dataset.js";

/**
 * The Fisher of a first Dense kernel ([pixels, units], row-major) summed over units, as a square-rooted image scaled
 * to [0, 1]; null when the task's examples are not single-channel images of that many pixels.
 */
export function firstLayerImportance(fisher: Float32Array, units: number, task: Dataset): { png: Uint8Array; units: number; values: Float32Array } | null {
  const pixels = featureSize(task);
  const [h, w] = task.shape as [number, number];
  if (!h || !w || h * w !== pixels || fisher.length !== pixels * units) return null;
  const values = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) for (let u = 0; u < units; u++) values[p]! += fisher[p * units + u]!;
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  const scaled = values.map((v) => (max > 0 ? Math.sqrt(v / max) : 0));
  return { png: imageGridPng([scaled], h, w, 1, { zoom: 6 }), units, values };
}

export interface TaskSets {
  train: Dataset[];
  validation: Dataset[];
  test: Dataset[];
}

/** The first `size` examples (at most half the pool) to choose lambda on, and the rest to train on. */
export function validationSplit(pool: Dataset, size: number): { validation: Dataset; fit: Dataset } {
  const v = Math.min(size, Math.floor(pool.n / 2));
  return {
    validation: select(pool, Int32Array.from({ length: v }, (_, i) => i), "validation"),
    fit: select(pool, Int32Array.from({ length: pool.n - v }, (_, i) => v + i), "fit"),
  };
}

/** What a sequence needs from an experiment's config. */
export interface SequenceSettings {
  model: ModelSpec;
  train: TrainConfig;
  strategies: Strategy[];
  ewc: { lambdas: number[]; fisherSamples: number; fisher: FisherKind; gamma: number };
  l2: { lambdas: number[] };
  replay: { bufferSize: number; perBatch: number };
  agem: { memoriesPerTask: number; referenceBatch: number };
  lwf: { weight: number; temperature: number };
  /** A learning rate per strategy, over train.lr (GEM tuned one per method). */
  learningRates?: Partial<Record<Strategy, number>>;
  /** Task-incremental (multi-head): each task's classes are its own head, known at training and test time. */
  heads?: Heads;
}

const accuracies = (model: Sequential, sets: Dataset[], heads?: Heads) => sets.map((d) => evaluate(model, d, "softmax-ce", 1000, heads).accuracy);

interface StrategyRun {
  R: number[][];
  V: number[][];
  baseline: number[];
  /** A-GEM: how many updates were projected. */
  projected: number;
  /** EWC: the diagonal Fisher of the first Dense kernel after task 1 ([pixels, units], row-major). */
  firstFisher?: { values: Float32Array; units: number };
  /** The weights after each task: the networks behind each row of R, exported for the chosen lambda. */
  snapshots: Float32Array[];
}

async function runStrategy(strategy: Strategy, lambda: number, config: SequenceSettings, tasks: TaskSets, ctx: ExperimentContext, label: string): Promise<StrategyRun> {
  const first = tasks.train[0]!;
  const model = buildModel(config.model, { input: first.shape, classes: first.classes }, ctx.streams.fresh("init/net"));
  const order = ctx.streams.fresh("data-order/net");
  const fisherRng = ctx.streams.fresh(`fisher/${strategy}`);
  const buffer = new ReservoirBuffer(config.replay.bufferSize, first.x.length / first.n, ctx.streams.fresh("replay/buffer"));
  const replayRng = ctx.streams.fresh("replay/sample");
  const memory = new EpisodicMemory(config.agem.memoriesPerTask);
  const memoryRng = ctx.streams.fresh("agem/sample");
  const trainConfig = { ...config.train, lr: config.learningRates?.[strategy] ?? config.train.lr };
  const anchors: Anchor[] = [];
  let online: Anchor | undefined;
  const run: StrategyRun = { R: [], V: [], baseline: accuracies(model, tasks.test, config.heads), projected: 0, snapshots: [] };
  try {
    const count = tasks.train.length;
    for (let t = 0; t < count; t++) {
      const data = strategy === "joint" ? concatDatasets(tasks.train.slice(0, t + 1)) : tasks.train[t]!;
      const plugins: TrainPlugin[] = [];
      const penalty =
        strategy === "ewc" || strategy === "l2" ? anchorPenaltyPlugin(model, anchors, lambda) : strategy === "online-ewc" ? anchorPenaltyPlugin(model, online ? [online] : [], lambda) : undefined;
      if (penalty) plugins.push(penalty);
      if (strategy === "replay") plugins.push(replayPlugin(buffer, config.replay.perBatch, replayRng));
      const agem = strategy === "agem" ? agemPlugin(model, memory, config.agem.referenceBatch, memoryRng) : undefined;
      if (agem) plugins.push(agem);
      // LwF's teacher: the model as it is now, before task t, frozen in a copy
      const teacher = strategy === "lwf" && t > 0 ? buildModel(config.model, { input: first.shape, classes: first.classes }, ctx.streams.fresh("lwf/teacher")) : undefined;
      if (teacher) {
        teacher.setFlat(model.getFlat());
        const seen = new Set<number>();
        for (const earlier of tasks.train.slice(0, t)) for (const label of earlier.y) seen.add(label);
        plugins.push(lwfPlugin(teacher, [...seen].sort((a, b) => a - b), config.lwf.weight, config.lwf.temperature));
      }
      try {
        await train(model, data, trainConfig, {
          order,
          plugins,
          ...(config.heads ? { heads: config.heads } : {}),
          signal: ctx.signal,
          onStep: (s, total) => ctx.progress({ phase: `${label} task ${t + 1}/${count}`, step: s, total, fine: true }),
        });
      } finally {
        penalty?.dispose();
        teacher?.dispose();
      }
      run.R.push(accuracies(model, tasks.test, config.heads));
      run.V.push(accuracies(model, tasks.validation, config.heads));
      run.snapshots.push(model.getFlat());
      if (agem) run.projected += agem.stats().projected;
      ctx.emit({ type: "task", strategy, lambda, task: t + 1, testAccuracy: run.R.at(-1) });
      if (t === count - 1) break;
      if (strategy === "ewc" || strategy === "online-ewc") {
        const fisher = diagonalFisher(model, tasks.train[t]!, config.ewc.fisherSamples, config.ewc.fisher, fisherRng, config.heads);
        const kernel = model.params()[0]!.variable;
        // an MLP's first parameter is its first Dense kernel, [pixels, units]
        if (t === 0 && kernel.shape.length === 2 && kernel.shape[0] === featureSize(tasks.train[0]!)) run.firstFisher = { values: fisher.slice(0, kernel.size), units: kernel.shape[1]! };
        if (strategy === "ewc") anchors.push({ theta: model.getFlat(), importance: fisher });
        else online = mergeAnchors(online, model.getFlat(), fisher, config.ewc.gamma);
      } else if (strategy === "l2") {
        const theta = model.getFlat();
        anchors.push({ theta, importance: new Float32Array(theta.length).fill(1) });
      } else if (strategy === "replay") buffer.offerAll(tasks.train[t]!);
      else if (strategy === "agem") memory.addTask(tasks.train[t]!);
    }
    return run;
  } finally {
    model.dispose();
  }
}


/**
 * Every strategy of `config`, each lambda grid searched on validation ACC; per strategy the chosen run's figures:
 * ACC, BWT, FWT, task-1 accuracy after training it and at the end, the last task's accuracy, and the mean final
 * accuracy on the earlier tasks ("old"). Every strategy's matrices also go to artifacts/accuracy-matrices.json.
 */
export async function runStrategies(config: SequenceSettings, tasks: TaskSets, ctx: ExperimentContext): Promise<{ metrics: Record<string, number>; details: Record<string, unknown> }> {
    const metrics: Record<string, number> = {};
    const details: Record<string, unknown> = {};
    for (const strategy of config.strategies) {
      const grid = strategy === "ewc" || strategy === "online-ewc" ? config.ewc.lambdas : strategy === "l2" ? config.l2.lambdas : [0];
      let best: { lambda: number; run: StrategyRun; validationAcc: number } | undefined;
      const sweep: { lambda: number; validationAcc?: number; testAcc?: number; diverged?: boolean }[] = [];
      for (const lambda of grid) {
        const label = grid.length > 1 ? `${strategy} lambda ${lambda}` : strategy;
        let run: StrategyRun;
        try {
          run = await runStrategy(strategy, lambda, config, tasks, ctx, label);
        } catch (error) {
          // A lambda too strong for plain SGD's step size blows up; on a grid that is a rejected candidate, not a failed run.
          if (!(error instanceof DivergenceError) || grid.length === 1) throw error;
          sweep.push({ lambda, diverged: true });
          ctx.emit({ type: "diverged", strategy, lambda, message: error.message });
          continue;
        }
        const validationAcc = mean(run.V.at(-1)!);
        sweep.push({ lambda, validationAcc, testAcc: mean(run.R.at(-1)!) });
        if (!best || validationAcc > best.validationAcc) best = { lambda, run, validationAcc };
      }
      if (!best) throw new DivergenceError(0, 0, Number.NaN, `every ${strategy} lambda in ${grid.join(", ")} diverged: lower train.lr or the lambdas`);
      const { run, lambda } = best;
      await exportSnapshots(strategy, run.snapshots, config, tasks, ctx);
      const cm = continualMetrics(run.R, run.baseline);
      metrics[`${strategy}.acc`] = cm.acc;
      metrics[`${strategy}.bwt`] = cm.bwt;
      metrics[`${strategy}.fwt`] = cm.fwt;
      metrics[`${strategy}.task1After`] = run.R[0]![0]!;
      metrics[`${strategy}.task1Final`] = run.R.at(-1)![0]!;
      metrics[`${strategy}.task1Drop`] = run.R[0]![0]! - run.R.at(-1)![0]!;
      metrics[`${strategy}.lastTask`] = run.R.at(-1)!.at(-1)!;
      metrics[`${strategy}.oldTasks`] = mean(run.R.at(-1)!.slice(0, -1));
      if (grid.length > 1) metrics[`${strategy}.lambda`] = lambda;
      if (strategy === "agem") metrics[`${strategy}.projectedSteps`] = run.projected;
      details[strategy] = { R: run.R, baseline: run.baseline, forgetting: cm.forgetting, ...(grid.length > 1 ? { lambda, sweep } : {}) };
      if (run.firstFisher && !details.images) {
        const image = firstLayerImportance(run.firstFisher.values, run.firstFisher.units, tasks.train[0]!);
        if (image) {
          await ctx.artifacts.write("images/fisher-task1.png", image.png);
          details.images = [
            {
              title: `Which pixels task 1 needs: the ${strategy === "ewc" ? "EWC" : "online EWC"} Fisher of the first layer`,
              caption: `Per input pixel, the Fisher information summed over the ${image.units} first-layer units after task 1 (square root, scaled to its maximum; dark = important). The penalty holds these weights in place; the border pixels, never inked, cost nothing to change.`,
              path: "images/fisher-task1.png",
            },
          ];
        }
      }
      ctx.progress({ phase: "strategies", step: config.strategies.indexOf(strategy) + 1, total: config.strategies.length, detail: `${strategy}: ACC ${(cm.acc * 100).toFixed(1)}% BWT ${cm.bwt.toFixed(3)}` });
    }
    await ctx.artifacts.write("accuracy-matrices.json", JSON.stringify(details, null, 1));
    return { metrics, details };
}

/** The chosen run's network after each task, as `models/<strategy>-after-task-<t>/` (row t of its accuracy matrix). */
async function exportSnapshots(strategy: Strategy, snapshots: Float32Array[], config: SequenceSettings, tasks: TaskSets, ctx: ExperimentContext): Promise<void> {
  if (!ctx.trained) return;
  const first = tasks.train[0]!;
  const model = buildModel(config.model, { input: first.shape, classes: first.classes }, ctx.streams.fresh("init/net"));
  try {
    for (const [t, theta] of snapshots.entries()) {
      model.setFlat(theta);
      await ctx.trained(`${strategy}-after-task-${t + 1}`, model);
    }
  } finally {
    model.dispose();
  }
}
