/**
 * Erhan et al. 2010: greedy layer-wise unsupervised pre-training (stacked denoising autoencoders) before supervised
 * training lowers the mean test error of deep sigmoid nets and its spread over seeds; without it, error and spread
 * grow with depth; and the two kinds of start end in different regions of function space.
 *
 * Paired design: replica r of a depth starts from the same initial weights and sees the same fine-tuning order with
 * and without pre-training, so the only difference between the two nets of a pair is the pre-training.
 */
import { principalScores } from "../../core/linalg.js";
import { mean, sd } from "../../core/stats.js";
import { select, type Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { selectByValidation } from "../../training/select-by-validation.js";
import { buildModel, type MlpSpec } from "../../models/builders.js";
import { train } from "../../training/loop.js";
import { evaluate, predictProbabilities } from "../../training/evaluate.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { pretrainDenoising } from "../../analysis/pretraining.js";
import { CONDITIONS, pretrainingDetails, pretrainingSchema, type Condition, type PretrainingConfig, type PretrainingDetails } from "./pretraining.schema.js";
import { key, pretrainingClaim, fmtPct } from "./pretraining.claim.js";
import { ConfigError } from "../../core/errors.js";

const LABEL: Record<Condition, string> = { random: "random init", pretrained: "pre-trained" };

/** Leave-one-out: how often a point's nearest neighbour (Euclidean) has the same label. */
export function nearestNeighbourAgreement(points: readonly Float32Array[], labels: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < points.length; i++) {
    let best = Infinity;
    let bestLabel = "";
    for (let j = 0; j < points.length; j++) {
      if (i === j) continue;
      let d = 0;
      const a = points[i]!;
      const b = points[j]!;
      for (let k = 0; k < a.length; k++) d += (a[k]! - b[k]!) ** 2;
      if (d < best) {
        best = d;
        bestLabel = labels[j]!;
      }
    }
    if (bestLabel === labels[i]) same++;
  }
  return same / points.length;
}

interface Trajectory {
  condition: Condition;
  replica: number;
  /** PCA scores of the function after 0, 1, ... epochs of supervised training. */
  points: [number, number][];
}

export const pretraining = defineExperiment({
  id: "pretraining",
  title: "Unsupervised pre-training: lower error, less spread, another basin",
  property: "initialization",
  description: "Deep sigmoid MLPs trained from a random start and from greedy layer-wise denoising-autoencoder pre-training, over depths, sizes and seeds; test-error distributions and function-space trajectories.",
  schema: pretrainingSchema,
  presets: {
    quick: { data: { trainSize: 1000, testSize: 500 }, trainSizes: [1000], depths: [1, 3], replicas: 3, pretrain: { train: { epochs: 5 } }, train: { epochs: 10 }, probe: 100, claim: { deepDepth: 3 } },
    // Batch-10 SGD through deep layers is slow: 27.5 min for a seed of this preset with three other runs on the two cores.
    standard: { depths: [1, 2, 3, 4], trainSizes: [2000] },
    // Erhan et al. chose every setting's rates by validation error: each cell picks its fine-tuning rate from a
    // factor-of-3 grid around ours on 2,000 held-out digits of the draw. Cut to fit 15 minutes per seed: the criterion's
    // two depths only (depths 2, 3 and 5 and a 500-digit set: the README's `--set` lines).
    paper: { data: { trainSize: 4000 }, depths: [1, 4], trainSizes: [2000], lrSelection: { grid: [0.1, 0.3, 1], validationSize: 2000 } },
  },
  claim: pretrainingClaim,
  details: pretrainingDetails,
  figures: (r, config) => pretrainingFigures(r.metrics, r.details, config),
  async run(config, ctx) {
    const maxSize = Math.max(...config.trainSizes);
    if (maxSize > config.data.trainSize) throw new ConfigError(`trainSizes holds ${maxSize}, more than data.trainSize (${config.data.trainSize})`, "raise data.trainSize or lower the size");
    for (const field of ["shallowDepth", "deepDepth"] as const)
      if (!config.depths.includes(config.claim[field])) throw new ConfigError(`claim.${field} (${config.claim[field]}) must be one of depths [${config.depths.join(", ")}]`, `add ${config.claim[field]} to depths, or set claim.${field} to one of them`);
    const validationSize = config.lrSelection?.validationSize ?? 0;
    if (maxSize + validationSize > config.data.trainSize)
      throw new ConfigError(`data.trainSize (${config.data.trainSize}) must hold the largest labelled set (${maxSize}) and lrSelection.validationSize (${validationSize})`, `raise data.trainSize to ${maxSize + validationSize}`);
    const { train: pool, test } = await loadSplits(ctx, config.data);
    const validation = validationSize > 0 ? select(pool, Int32Array.from({ length: validationSize }, (_, i) => maxSize + i), "validation") : null;
    const probe = select(test, Int32Array.from({ length: Math.min(config.probe, test.n) }, (_, i) => i), "probe");
    const metrics: Record<string, number> = {};
    const errors: Record<string, number[]> = {};
    const trainErrors: Record<string, number[]> = {};
    const lrSelection: Record<string, { lr: number; validationError: number }[]> = {};
    const functions: { vector: Float32Array; condition: Condition; replica: number; epoch: number }[] = [];
    const reconstruction: { layer: string; loss: number[] }[][] = [];
    const total = config.trainSizes.length * config.depths.length * config.replicas;
    let done = 0;

    /** One network of replica r: its initial weights, (for "pretrained") the autoencoder stack, then supervised SGD at lr. */
    async function fit(spec: MlpSpec, labelled: Dataset, condition: Condition, r: number, lr: number, hooks: { onPretrained?: (layers: { layer: string; loss: number[] }[]) => void; onEpoch?: (model: Sequential, epoch: number) => void } = {}): Promise<Sequential> {
      // Fresh streams per replica: both conditions (and every depth, size and candidate rate) of replica r share the draws.
      const model = buildModel(spec, { input: pool.shape, classes: pool.classes }, ctx.streams.fresh(`init/replica-${r}`));
      try {
        if (condition === "pretrained") {
          const layers = await pretrainDenoising(model, labelled, config.pretrain, {
            init: ctx.streams.fresh(`init/decoder-${r}`),
            order: ctx.streams.fresh(`data-order/pretrain-${r}`),
            noise: ctx.streams.fresh(`noise/replica-${r}`),
            signal: ctx.signal,
          });
          hooks.onPretrained?.(layers);
        }
        hooks.onEpoch?.(model, 0);
        await train(model, labelled, { ...config.train, lr }, {
          order: ctx.streams.fresh(`data-order/replica-${r}`),
          signal: ctx.signal,
          onEpoch: (m) => hooks.onEpoch?.(model, m.epoch),
        });
        return model;
      } catch (error) {
        model.dispose();
        throw error;
      }
    }

    for (const n of config.trainSizes) {
      const labelled = select(pool, Int32Array.from({ length: n }, (_, i) => i), `first ${n}`);
      for (const depth of config.depths) {
        const spec: MlpSpec = { kind: "mlp", hidden: Array.from({ length: depth }, () => config.width), activation: config.activation, init: config.init, dropout: 0 };
        const tracked = n === config.trainSizes[0] && depth === config.claim.deepDepth;
        const lrOf: Partial<Record<Condition, number>> = {};
        for (const condition of CONDITIONS) {
          const k = key(condition, depth, n);
          errors[k] = [];
          trainErrors[k] = [];
          lrOf[condition] = config.train.lr;
          if (config.lrSelection && validation) {
            const choice = await selectByValidation(config.lrSelection.grid, async (lr) => {
              const model = await fit(spec, labelled, condition, 0, lr);
              try {
                return 1 - evaluate(model, validation).accuracy;
              } finally {
                model.dispose();
              }
            });
            lrSelection[k] = choice.errors.map((e) => ({ lr: e.value, validationError: e.validationError }));
            metrics[`${k}.lr`] = lrOf[condition] = choice.best;
            ctx.progress({ phase: "learning rate", step: done, total, detail: `n ${n}, depth ${depth}, ${LABEL[condition]}: lr ${choice.best} (validation error ${choice.errors.map((e) => `${e.value}: ${fmtPct(e.validationError)}`).join(", ")})` });
          }
        }
        for (let r = 0; r < config.replicas; r++) {
          for (const condition of CONDITIONS) {
            const model = await fit(spec, labelled, condition, r, lrOf[condition]!, {
              onPretrained: (layers) => {
                if (tracked && r === 0) reconstruction.push(layers);
              },
              onEpoch: (m, epoch) => {
                if (tracked) functions.push({ vector: predictProbabilities(m, probe), condition, replica: r, epoch });
              },
            });
            try {
              errors[key(condition, depth, n)]!.push(1 - evaluate(model, test).accuracy);
              // replica 1 of every cell: all of them would be hundreds of networks (the others are the same code and seeds)
              if (r === 0) await ctx.trained?.(`${condition}-depth-${depth}-n-${n}-replica-1`, model);
              trainErrors[key(condition, depth, n)]!.push(1 - evaluate(model, labelled).accuracy);
            } finally {
              model.dispose();
            }
          }
          const e = (c: Condition) => errors[key(c, depth, n)]!.at(-1)!;
          ctx.progress({ phase: "pairs", step: ++done, total, detail: `n ${n}, depth ${depth}, seed ${r + 1}: error random ${fmtPct(e("random"))}, pre-trained ${fmtPct(e("pretrained"))}` });
        }
        for (const condition of CONDITIONS) {
          const k = key(condition, depth, n);
          metrics[`${k}.errorMean`] = mean(errors[k]!);
          metrics[`${k}.errorSd`] = sd(errors[k]!);
          metrics[`${k}.trainErrorMean`] = mean(trainErrors[k]!);
        }
      }
    }
    // The last snapshot of each net is its final function.
    const finals = [...new Map(functions.map((f) => [`${f.condition}/${f.replica}`, f])).values()];
    metrics["functionSpace.nnAgreement"] = nearestNeighbourAgreement(
      finals.map((f) => f.vector),
      finals.map((f) => f.condition),
    );
    const { scores, variances } = principalScores(functions.map((f) => f.vector));
    const trajectories: Trajectory[] = [];
    functions.forEach((f, i) => {
      let t = trajectories.find((x) => x.condition === f.condition && x.replica === f.replica);
      if (!t) trajectories.push((t = { condition: f.condition, replica: f.replica, points: [] }));
      t.points.push([scores[i]![0] ?? 0, scores[i]![1] ?? 0]);
    });
    return { metrics, details: { errors, trajectories, pcaVariances: variances, reconstruction, ...(config.lrSelection ? { lrSelection } : {}) } };
  },
});

function pretrainingFigures(metrics: Record<string, number>, details: PretrainingDetails | undefined, config: PretrainingConfig): FigureSpec[] {
  const figures: FigureSpec[] = [];
  const errors = details?.errors;
  const n0 = config.trainSizes[0]!;
  if (errors) {
    figures.push({
      kind: "scatter",
      id: "error-by-seed",
      title: `Test error of every seed by depth (n = ${n0})`,
      caption: "Each dot one network; the spread of a column is the seed-to-seed variance Erhan et al.'s histograms show.",
      x: "hidden layers (pre-trained nets drawn slightly right)",
      y: "test error",
      series: CONDITIONS.map((c) => ({
        name: LABEL[c],
        points: config.depths.flatMap((d) => (errors[key(c, d, n0)] ?? []).map((e): [number, number] => [d + (c === "random" ? -0.1 : 0.1), e])),
      })),
    });
  }
  const byDepth = (id: string, title: string, caption: string, y: string, field: "errorMean" | "errorSd"): FigureSpec => ({
    kind: "line",
    id,
    title,
    caption,
    x: "hidden layers",
    y,
    series: config.trainSizes.flatMap((n) =>
      CONDITIONS.map((c) => ({ name: `${LABEL[c]}, n = ${n}`, dashed: c === "pretrained", points: config.depths.map((d): [number, number] => [d, metrics[`${key(c, d, n)}.${field}`] ?? Number.NaN]) })),
    ),
  });
  figures.push(byDepth("error-by-depth", "Mean test error by depth", "Dashed: pre-trained. One line per labelled training-set size.", "mean test error", "errorMean"));
  figures.push(byDepth("error-sd-by-depth", "Seed-to-seed spread of test error by depth", "Standard deviation over seeds. Dashed: pre-trained.", "sd of test error", "errorSd"));
  const trajectories = details?.trajectories;
  if (trajectories?.length) {
    figures.push({
      kind: "scatter",
      id: "function-space",
      title: `Where the nets go in function space (depth ${config.claim.deepDepth}, n = ${n0})`,
      caption: "First two principal components of the output probabilities on the probe images, after each epoch of supervised training; large dots are the final nets.",
      x: "PC 1",
      y: "PC 2",
      series: CONDITIONS.flatMap((c) => [
        { name: `${LABEL[c]}, during training`, radius: 1.5, points: trajectories.filter((t) => t.condition === c).flatMap((t) => t.points.slice(0, -1)) },
        { name: `${LABEL[c]}, final`, radius: 4, points: trajectories.filter((t) => t.condition === c).map((t) => t.points.at(-1)!) },
      ]),
    });
  }
  const reconstruction = details?.reconstruction;
  if (reconstruction?.[0]?.length) {
    figures.push({
      kind: "line",
      id: "pretraining-loss",
      title: "Denoising reconstruction loss while each layer is pre-trained (seed 1)",
      x: "pre-training epoch",
      y: "reconstruction cross-entropy per input",
      series: reconstruction[0].map((l, i) => ({ name: `layer ${i + 1}`, points: l.loss.map((v, e): [number, number] => [e + 1, v]) })),
    });
  }
  return figures;
}
