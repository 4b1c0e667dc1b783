/**
 * Neural collapse (Papyan, Han & Donoho 2020): an MLP trained with weight decay far past zero training error, its
 * last-layer geometry on the training set measured at log-spaced epochs and at the first epoch of 100% training
 * accuracy (the start of the terminal phase).
 */
import { collapseMeasures } from "../../analysis/inside/collapse.js";
import { layerActivations } from "../../analysis/inside/activations.js";
import { hiddenRepresentationLayers } from "../../analysis/inside/probes.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import type { Dataset } from "../../data/dataset.js";
import { Dense } from "../../models/layers.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate, type Evaluation } from "../../training/evaluate.js";
import type { TrainPlugin } from "../../training/loop.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { logSpaced } from "../sweep.js";
import { neuralCollapseDetails, neuralCollapseSchema, type CollapseRow } from "./neural-collapse.schema.js";
import { neuralCollapseClaim } from "./neural-collapse.claim.js";
import { neuralCollapseFigures } from "./figures.js";
import { summarizeCollapse } from "./summary.js";
import { stepsPerEpochOf, totalStepsOf } from "../../training/schedule.js";

function lastClassifier(model: Sequential): { kernel: Float32Array; bias: Float32Array } {
  const last = model.layers.at(-1);
  if (!(last instanceof Dense) || last.params.length !== 2) throw new RangeError(`neural collapse needs a last Dense layer with a bias, got ${model.toString()}`);
  return { kernel: last.params[0]!.variable.dataSync() as Float32Array, bias: last.params[1]!.variable.dataSync() as Float32Array };
}

/** Everything measured at one epoch: accuracy on both sets, NC1-NC4 on the training set; the class means' PCA too. */
function measure(model: Sequential, epoch: number, train: Dataset, test: Dataset, trainEvaluation?: Evaluation) {
  const penultimate = hiddenRepresentationLayers(model).at(-1)!;
  const { values, width } = layerActivations(model, train, penultimate);
  const collapse = collapseMeasures({ features: values, width, labels: train.y, classes: train.classes, ...lastClassifier(model) });
  const tr = trainEvaluation ?? evaluate(model, train);
  const te = evaluate(model, test);
  const { meansPca, ...measures } = collapse;
  const row: CollapseRow = { epoch, trainAccuracy: tr.accuracy, trainLoss: tr.loss, testAccuracy: te.accuracy, ...measures };
  return { row, meansPca };
}

export const neuralCollapse = defineExperiment({
  id: "neural-collapse",
  title: "Neural collapse: the last layer's features collapse to a simplex in the terminal phase of training",
  property: "neural-collapse",
  description:
    "A 784-256-256-10 ReLU MLP trained by SGD with momentum and weight decay far past 100% training accuracy; within-class variability (NC1), the class means' angles and norms (NC2), the classifier's distance to the means (NC3) and its agreement with the nearest class mean (NC4), measured on the training set at log-spaced epochs.",
  schema: neuralCollapseSchema,
  presets: {
    quick: { data: { trainSize: 500, testSize: 500 }, train: { epochs: 60, stepEvery: 20 }, checkpoints: 12 },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 } },
  },
  claim: neuralCollapseClaim,
  details: neuralCollapseDetails,
  figures: (r, config) => neuralCollapseFigures(r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    // the training loop's own count: whole epochs of ceil(n / batch) steps, the last one cut short by train.steps
    const epochs = Math.ceil(totalStepsOf(config.train, train.n) / stepsPerEpochOf(train.n, config.train.batchSize));
    const checkpoints = new Set(logSpaced(epochs, config.checkpoints));
    const curve: CollapseRow[] = [];
    let terminalPhaseEpoch = Number.NaN;
    let meansPca: [number, number][] = [];
    const recorder: TrainPlugin = {
      name: "neural collapse",
      afterEpoch(state) {
        // until the training set is fitted, every epoch is checked: the terminal phase starts at the first one at 100%
        const trainEvaluation = Number.isNaN(terminalPhaseEpoch) ? evaluate(state.model, train) : undefined;
        const fitted = trainEvaluation?.accuracy === 1;
        if (!checkpoints.has(state.epoch) && !fitted && state.epoch !== epochs) return;
        const m = measure(state.model, state.epoch, train, test, trainEvaluation);
        if (fitted) terminalPhaseEpoch = state.epoch;
        curve.push(m.row);
        meansPca = m.meansPca;
        ctx.progress({
          phase: "train and measure",
          step: state.epoch,
          total: epochs,
          detail: `train ${(m.row.trainAccuracy * 100).toFixed(2)}% NC1 ${m.row.withinClassVariability.toPrecision(3)} cos ${m.row.meanCosine.toFixed(3)} NC3 ${m.row.classifierToMeans.toFixed(3)}`,
        });
      },
    };
    const model = await trainNamedModel(ctx, "net", config.model, train, config.train, { plugins: [recorder] });
    model.dispose();
    return { metrics: summarizeCollapse(curve, terminalPhaseEpoch), details: { curve, terminalPhaseEpoch, meansPca } };
  },
});
