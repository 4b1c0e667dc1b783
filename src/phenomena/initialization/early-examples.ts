/**
 * Experiment 6c (Erhan et al. 2010, section 6.4): an online stream seen once with a constant learning rate. Redraw
 * only the first block of the stream (everything else fixed, the initialization included) and the final network's
 * outputs vary more than when a middle block is redrawn: the early examples choose the basin.
 */
import { select } from "../../data/dataset.js";
import { buildModel } from "../../models/builders.js";
import { train } from "../../training/loop.js";
import { evaluate, predictProbabilities } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { earlyExamplesSchema } from "./early-examples.schema.js";
import { earlyExamplesClaim } from "./early-examples.claim.js";
import { ConfigError } from "../../core/errors.js";

const BLOCKS = ["first", "middle", "last"] as const;

/** Mean over test examples of the summed (over classes) variance across replicas. */
function outputVariance(outputs: Float32Array[], examples: number): number {
  const r = outputs.length;
  const size = outputs[0]!.length;
  let total = 0;
  for (let j = 0; j < size; j++) {
    let mean = 0;
    for (const o of outputs) mean += o[j]!;
    mean /= r;
    let v = 0;
    for (const o of outputs) v += (o[j]! - mean) ** 2;
    total += v / (r - 1);
  }
  return total / examples;
}

export const earlyExamples = defineExperiment({
  id: "early-examples",
  title: "The first examples matter: redraw one block of the stream",
  property: "initialization",
  description: "Online SGD over a fixed stream; replicas redraw only the first, a middle or the last block; variance of the final outputs per block.",
  schema: earlyExamplesSchema,
  presets: {
    quick: { data: { trainSize: 2500, testSize: 500 }, streamSize: 2000, blockSize: 400, replicas: 4, model: { kind: "mlp", hidden: [128, 128], activation: "tanh", init: "xavier", dropout: 0 } },
    standard: {},
    // Erhan et al. 2010 redrew the first tenth (1M of a 10M-digit stream): here the first tenth of a 50,000-digit
    // stream, every block 5,000 digits, the reserve the other 10,000 training digits. 8x the standard stream is what
    // 24 online runs at batch 10 fit in the 15-minute budget.
    paper: { data: { trainSize: 60000, testSize: 10000 }, streamSize: 50000, blockSize: 5000 },
  },
  claim: earlyExamplesClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "early-examples",
      title: "Variance of the final network's test outputs when one block of the stream is redrawn",
      caption: "Higher = that block decided more of where the network ended.",
      x: "redrawn block",
      y: "output variance across replicas",
      bars: BLOCKS.map((b) => ({ label: b, value: r.metrics[`variance.${b}`] ?? Number.NaN })),
    },
  ],
  async run(config, ctx) {
    const { train: pool, test } = await loadSplits(ctx, config.data);
    if (config.streamSize + config.blockSize > pool.n)
      throw new ConfigError(`data.trainSize (${pool.n}) must hold the stream (${config.streamSize}) and a reserve of at least one block (${config.blockSize})`, "raise data.trainSize or lower streamSize");
    if (config.blockSize * 3 > config.streamSize) throw new ConfigError(`streamSize (${config.streamSize}) must hold three blocks of ${config.blockSize}`, "raise streamSize to at least 3 x blockSize, or lower blockSize");
    const reserveSize = pool.n - config.streamSize;
    const starts = { first: 0, middle: Math.floor((config.streamSize - config.blockSize) / 2 / config.blockSize) * config.blockSize, last: config.streamSize - config.blockSize };
    const metrics: Record<string, number> = {};
    const accuracies: number[] = [];
    let done = 0;
    for (const block of BLOCKS) {
      const outputs: Float32Array[] = [];
      const rng = ctx.streams.get(`redraw/${block}`);
      for (let r = 0; r < config.replicas; r++) {
        // Stream indices 0..streamSize-1, with block `block` replaced by a fresh draw from the reserve pool.
        const redraw = rng.permutation(reserveSize).subarray(0, config.blockSize);
        const indices = Int32Array.from({ length: config.streamSize }, (_, i) => i);
        for (let i = 0; i < config.blockSize; i++) indices[starts[block] + i] = config.streamSize + redraw[i]!;
        const stream = select(pool, indices, `stream(${block} redrawn ${r})`);
        const model = buildModel(config.model, { input: pool.shape, classes: pool.classes }, ctx.streams.fresh("init/net"));
        try {
          await train(model, stream, config.train, { order: ctx.streams.fresh("data-order/net"), sequential: true, signal: ctx.signal });
          outputs.push(predictProbabilities(model, test));
          accuracies.push(evaluate(model, test).accuracy);
          await ctx.trained?.(`${block}-block-redrawn-${r + 1}`, model);
        } finally {
          model.dispose();
        }
        ctx.progress({ phase: "replicas", step: ++done, total: BLOCKS.length * config.replicas, detail: `${block} block, replica ${r + 1}` });
      }
      metrics[`variance.${block}`] = outputVariance(outputs, test.n);
    }
    metrics.meanTestAccuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    return { metrics, details: { blockStarts: starts } };
  },
});
