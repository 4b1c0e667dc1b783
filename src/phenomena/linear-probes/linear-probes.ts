/**
 * Linear probes (Alain & Bengio 2016): softmax regressions on the input and on every hidden layer of a trained MLP,
 * and of the same MLP at its initialization, to see where the classes become linearly readable.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { featureDataset, fitProbe, hiddenRepresentationLayers, type ProbeResult } from "../../analysis/inside/probes.js";
import type { Sequential } from "../../models/sequential.js";
import type { Dataset } from "../../data/dataset.js";
import { evaluate } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits, saveModel } from "../data.js";
import { linearProbesSchema, type LinearProbesConfig } from "./linear-probes.schema.js";
import { linearProbesClaim } from "./linear-probes.claim.js";
import { linearProbesFigures } from "./figures.js";

export const linearProbes = defineExperiment({
  id: "linear-probes",
  title: "Linear probes: how linearly readable the classes are at each depth",
  property: "linear-probes",
  description: "A 784-256-256-256-10 ReLU MLP is trained; a softmax regression is then trained on the raw pixels and on each hidden layer's outputs, of the trained net and of the same net at its initialization, and tested on held-out digits.",
  schema: linearProbesSchema,
  presets: {
    quick: { data: { trainSize: 4000, testSize: 1000 }, train: { epochs: 8 }, probe: { epochs: 15 } },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 }, train: { epochs: 20 }, probe: { epochs: 10 } },
  },
  claim: linearProbesClaim,
  figures: (r, config) => linearProbesFigures(r.metrics, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const metrics: Record<string, number> = {};
    const record = (prefix: string, r: ProbeResult) => {
      metrics[`${prefix}.trainAccuracy`] = r.trainAccuracy;
      metrics[`${prefix}.testAccuracy`] = r.testAccuracy;
    };
    const total = 1 + 2 * config.model.hidden.length;
    let done = 0;
    const probe = async (name: string, trainSet: Dataset, testSet: Dataset) => {
      ctx.progress({ phase: "probes", step: done, total, detail: name });
      const r = await fitProbe(ctx, `probe/${name}`, trainSet, testSet, config.probe);
      ctx.progress({ phase: "probes", step: ++done, total, detail: `${name}: ${(r.testAccuracy * 100).toFixed(2)}%` });
      return r;
    };
    record("input", await probe("input", train, test));

    // The untrained net is the trained one's own initialization: the same weights before and after training.
    let initial: Float32Array | undefined;
    const net = await trainNamedModel(ctx, "net", config.model, train, config.train, { onInit: (m) => (initial = m.getFlat()) });
    try {
      metrics["net.testAccuracy"] = evaluate(net, test).accuracy;
      await probeLayers(net, "trained", train, test, probe, record);
      net.setFlat(initial!);
      await saveModel(ctx, "net-at-initialization", net);
      metrics["untrained.net.testAccuracy"] = evaluate(net, test).accuracy;
      await probeLayers(net, "untrained", train, test, probe, record);
    } finally {
      net.dispose();
    }
    return { metrics: { ...metrics, ...summarize(metrics, config) } };
  },
});

async function probeLayers(
  net: Sequential,
  which: "trained" | "untrained",
  train: Dataset,
  test: Dataset,
  probe: (name: string, trainSet: Dataset, testSet: Dataset) => Promise<ProbeResult>,
  record: (prefix: string, r: ProbeResult) => void,
): Promise<void> {
  const layers = hiddenRepresentationLayers(net);
  for (const [depth, index] of layers.entries()) {
    const tag = `${which}-layer${depth + 1}`;
    record(`${which}.layer${depth + 1}`, await probe(tag, featureDataset(net, train, index, tag), featureDataset(net, test, index, tag)));
  }
}

/** The figures the claim judges: the smallest step with depth, the last layer's gain over pixels, the random layer's. */
export function summarize(metrics: Record<string, number>, config: LinearProbesConfig): Record<string, number> {
  const depth = config.model.hidden.length;
  const curve = (which: string) => [metrics["input.testAccuracy"]!, ...Array.from({ length: depth }, (_, i) => metrics[`${which}.layer${i + 1}.testAccuracy`]!)];
  // accuracies are counts over the same test set: their differences are exact multiples of 1/n up to rounding, which
  // must not decide a comparison with a tolerance of a whole number of examples
  const difference = (a: number, b: number) => Math.round((a - b) * 1e9) / 1e9;
  const steps = (values: number[]) => values.slice(1).map((v, i) => difference(v, values[i]!));
  const trained = curve("trained");
  const untrained = curve("untrained");
  return {
    "trained.smallestStep": Math.min(...steps(trained)),
    "trained.gainOverInput": difference(trained[depth]!, trained[0]!),
    "untrained.layer1.gainOverInput": difference(untrained[1]!, untrained[0]!),
    "untrained.gainOverInput": difference(untrained[depth]!, untrained[0]!),
  };
}
