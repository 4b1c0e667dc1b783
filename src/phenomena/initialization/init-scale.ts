/**
 * Experiments 6a and 6b. A deep ReLU MLP trained from several initial scales (He et al. 2015: 30 layers converge
 * with He init, stall with Xavier), with per-layer activation and gradient statistics at step 0; and a sigmoid MLP
 * whose layer-wise mean activations are followed through the first 20k updates (Glorot & Bengio 2010, Figure 2).
 */
import { DivergenceError } from "../../core/errors.js";
import { select, type Dataset } from "../../data/dataset.js";
import { makeBatch, disposeBatch } from "../../training/batches.js";
import type { TrainPlugin } from "../../training/loop.js";
import type { Sequential } from "../../models/sequential.js";
import { defineExperiment, type ExperimentContext } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModelWithHistory } from "../../analysis/train-named.js";
import { initScaleDetails, initScaleSchema, type InitScaleConfig } from "./init-scale.schema.js";
import { initScaleClaim } from "./init-scale.claim.js";
import { activationStats, kernelGradientNorms, type ActivationStat } from "../../analysis/layer-stats.js";
import { initScaleFigures } from "./figures.js";

function probeStats(model: Sequential, probe: Dataset) {
  const batch = makeBatch(probe, Int32Array.from({ length: probe.n }, (_, i) => i), "labels");
  try {
    const activations = activationStats(model, batch.x);
    const gradients = kernelGradientNorms(model, batch.x, batch.y);
    return { activations, gradients };
  } finally {
    disposeBatch(batch);
  }
}

async function deepPart(config: InitScaleConfig, ctx: ExperimentContext, train: Dataset, test: Dataset, probe: Dataset, metrics: Record<string, number>) {
  const rows: Record<string, unknown>[] = [];
  for (const [index, init] of config.deep.inits.entries()) {
    const spec = { kind: "mlp" as const, hidden: new Array<number>(config.deep.depth).fill(config.deep.width), activation: config.deep.activation, init, dropout: 0 };
    let atInit: ReturnType<typeof probeStats> | undefined;
    const key = `deep.${init}`;
    try {
      // One data order for every initializer: only the initial weights differ.
      const { model, result } = await trainNamedModelWithHistory(ctx, key, spec, train, config.deep.train, {
        orderFrom: "deep",
        test,
        onInit: (m) => (atInit = probeStats(m, probe)),
      });
      model.dispose();
      const last = result.history.at(-1)!;
      metrics[`${key}.testAccuracy`] = last.testAccuracy!;
      metrics[`${key}.diverged`] = 0;
      rows.push({ init, history: result.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, testAccuracy: h.testAccuracy })) });
    } catch (error) {
      if (!(error instanceof DivergenceError)) throw error;
      metrics[`${key}.diverged`] = 1;
      metrics[`${key}.divergedAtStep`] = error.step;
      rows.push({ init, diverged: { epoch: error.epoch, step: error.step, loss: String(error.loss) } });
    }
    const stats = atInit!;
    const sds = stats.activations.map((a) => a.sd);
    metrics[`${key}.activationSdFirst`] = sds[0]!;
    metrics[`${key}.activationSdLast`] = sds.at(-1)!;
    const norms = stats.gradients.map((g) => g.norm);
    metrics[`${key}.gradientNormFirst`] = norms[0]!;
    metrics[`${key}.gradientNormLast`] = norms.at(-1)!;
    Object.assign(rows.at(-1)!, { activationSd: sds, gradientNorm: norms });
    ctx.emit({ type: "init-stats", init, activationSd: sds, gradientNorm: norms });
    const acc = metrics[`${key}.testAccuracy`];
    ctx.progress({ phase: "deep", step: index + 1, total: config.deep.inits.length, detail: `${init}: ${acc === undefined ? "diverged" : `test ${(acc * 100).toFixed(1)}%`}` });
  }
  return rows;
}

/** Records every hidden layer's mean activation on the probe every `every` updates. */
function activationWatcher(probe: Dataset, every: number, trace: { step: number; means: number[] }[]): TrainPlugin {
  const batch = () => makeBatch(probe, Int32Array.from({ length: probe.n }, (_, i) => i), "labels");
  const record = (model: Sequential, step: number) => {
    const b = batch();
    try {
      trace.push({ step, means: activationStats(model, b.x).map((a: ActivationStat) => a.mean) });
    } finally {
      disposeBatch(b);
    }
  };
  return {
    name: "activation-watcher",
    beforeTraining: (state) => record(state.model, 0),
    afterBatch: (state) => {
      if (state.step % every === 0) record(state.model, state.step);
    },
  };
}

async function saturationPart(config: InitScaleConfig, ctx: ExperimentContext, train: Dataset, test: Dataset, probe: Dataset, metrics: Record<string, number>) {
  const traces: Record<string, { step: number; means: number[] }[]> = {};
  const s = config.saturation;
  for (const [index, init] of s.inits.entries()) {
    const trace: { step: number; means: number[] }[] = [];
    const spec = { kind: "mlp" as const, hidden: s.hidden, activation: "sigmoid" as const, init, dropout: 0 };
    const key = `saturation.${init}`;
    const { model, result } = await trainNamedModelWithHistory(ctx, key, spec, train, s.train, { orderFrom: "saturation", test, plugins: [activationWatcher(probe, s.every, trace)] });
    model.dispose();
    traces[init] = trace;
    const top = trace.map((t) => t.means.at(-1)!);
    const bottom = trace.map((t) => t.means[0]!);
    metrics[`${key}.topMin`] = Math.min(...top);
    metrics[`${key}.topFinal`] = top.at(-1)!;
    metrics[`${key}.bottomMean`] = bottom.reduce((a, b) => a + b, 0) / bottom.length;
    metrics[`${key}.testAccuracy`] = result.history.at(-1)!.testAccuracy!;
    ctx.progress({ phase: "saturation", step: index + 1, total: s.inits.length, detail: `${init}: top layer mean down to ${Math.min(...top).toFixed(3)}` });
  }
  return traces;
}

export const initScale = defineExperiment({
  id: "init-scale",
  title: "Initialization decides: deep ReLU nets and saturated sigmoids",
  property: "initialization",
  description: "Trains a 30-layer ReLU MLP from small, Xavier, He and 3x He scales (6a) and follows a sigmoid MLP's layer activations through its first 20k updates (6b).",
  schema: initScaleSchema,
  presets: {
    quick: {
      data: { trainSize: 3000, testSize: 1000 },
      deep: { depth: 20, width: 32 },
      saturation: { hidden: [128, 128, 128, 128], train: { steps: 3000 }, every: 250 },
      probe: 200,
    },
    // "After 3 epochs" in the protocol means passes over MNIST's 60k training digits: 2,814 updates at batch 64.
    standard: { data: { trainSize: 60000 } },
    // He et al. 2015's training recipe for plain deep nets (SGD, momentum 0.9, weight decay 5e-4; their step decays of
    // the rate fall after the 3 epochs the criterion reads) and Glorot & Bengio's 5 x 1000 sigmoid net, on 60k/10k.
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      deep: { train: { weightDecay: 0.0005 } },
      saturation: { hidden: [1000, 1000, 1000, 1000, 1000] },
    },
  },
  claim: initScaleClaim,
  details: initScaleDetails,
  figures: (r) => initScaleFigures(r.details),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const probe = select(test, Int32Array.from({ length: Math.min(config.probe, test.n) }, (_, i) => i), "probe");
    const metrics: Record<string, number> = {};
    const deep = await deepPart(config, ctx, train, test, probe, metrics);
    const saturation = config.saturation.enabled ? await saturationPart(config, ctx, train, test, probe, metrics) : undefined;
    const details = { deep, ...(saturation ? { saturation } : {}) };
    await ctx.artifacts.write("init-scale.json", JSON.stringify(details, null, 1));
    return { metrics, details };
  },
});
