/**
 * `quirklab inspect`: one report on a user's model — how accurate and how well calibrated it is, how easily it is
 * fooled, how sharp its minimum is, what it looks at, how much of it can be pruned — each figure beside quirklab's
 * baseline network of the same kind on the same examples when the data is a built-in dataset.
 */
import { ConfigError, DataError } from "../../core/errors.js";
import { BUILT_IN_DATASETS, featureSize } from "../../data/dataset.js";
import { defineExperiment, type LoadedModel } from "../experiment.js";
import { recordSubset, subsetOfSizeWithIndices } from "../data.js";
import { activationGrids, saliencyGrid } from "../../analysis/inside/grids.js";
import { inspectSchema, type InspectConfig } from "./inspect.schema.js";
import { measureModel, type ModelDetails } from "./measure.js";
import { inspectDetails, inspectFigures } from "./inspect.figures.js";
import { inspectFindings } from "./inspect.findings.js";
import type { Dataset } from "../../data/dataset.js";
import { conformToInput } from "../../data/conform.js";

function checkFits(loaded: LoadedModel, data: Dataset, what: string): void {
  const { model } = loaded;
  const inputs = model.inputShape.reduce((a, b) => a * b, 1);
  if (inputs !== featureSize(data)) {
    throw new DataError(
      `${what} takes inputs of shape ${model.inputShape.join("x")} (${inputs} values), but ${data.name} holds examples of shape ${data.shape.join("x")} (${featureSize(data)} values)`,
      "inspect the model on the data it was trained for (--data)",
    );
  }
  if (model.numOutputs !== data.classes) {
    throw new DataError(`${what} has ${model.numOutputs} outputs, but ${data.name} has ${data.classes} classes`, "inspect the model on data with as many classes as it has outputs");
  }
}

const hasConvolution = (loaded: LoadedModel) => loaded.model.layers.some((l) => l.kind === "Conv2D");

export const inspect = defineExperiment({
  id: "inspect",
  title: "Inspect a model: accuracy, calibration, robustness, curvature, saliency, pruning",
  property: "inspect",
  description: "Loads your model (tfjs layers format, Keras via the tensorflowjs converter, or ONNX) and measures it on your data or a built-in dataset, beside quirklab's baseline network of the same kind.",
  schema: inspectSchema,
  presets: {
    quick: {
      data: { size: 1000 },
      robustness: { examples: 300, pgdSteps: 10, deepfoolExamples: 100 },
      // a first look in about a minute on two cores: a CNN's exact HVP costs about five gradients (README, timings)
      curvature: { examples: 256, lanczosSteps: 12, hutchinsonSamples: 6, keskarSteps: 3, linePoints: 21, surfacePoints: 9 },
      saliency: { examples: 8, smoothGradSamples: 25 },
      units: { randomDirections: 30 },
    },
    standard: {},
  },
  details: inspectDetails,
  figures: (r, config) => inspectFigures(r, config),
  findings: (r, config) => inspectFindings(r, config),
  async run(config: InspectConfig, ctx) {
    if (!ctx.models) throw new ConfigError("this runner cannot load models", "run `quirklab inspect <model>` from the command line, or use the lab's Inspect tab");
    const full = await ctx.data.load(config.data.dataset, config.data.split);
    const { subset, indices } = subsetOfSizeWithIndices(full, config.data.size, "data.size", ctx.streams.get("data"));
    await recordSubset(ctx, config.data.split, indices);

    const loaded = await ctx.models.load(config.model);
    const images: { title: string; caption: string; path: string }[] = [];
    try {
      // the user's data in the model's input shape (gray/colour, size), said in the report when anything was converted
      const { data, conversion } = conformToInput(subset, loaded.model.inputShape);
      checkFits(loaded, data, `the model ${config.model}`);
      ctx.emit({ type: "model", description: loaded.model.toString(), source: loaded.description, parameters: loaded.model.parameterCount() });
      const own = await measureModel(loaded.model, data, config, ctx, "", "model");
      const metrics: Record<string, number> = { ...own.metrics, parameters: loaded.model.parameterCount(), examples: data.n };
      const timing: Record<string, number> = Object.fromEntries(Object.entries(own.seconds).map(([k, v]) => [`${k}Seconds`, v]));
      const details: Record<string, unknown> & { model: ModelDetails } = { model: own.details, description: loaded.model.toString(), source: loaded.description, droppedSoftmax: loaded.droppedSoftmax, images, ...(conversion ? { conversion } : {}) };

      const saliencyStarted = performance.now();
      if (config.saliency.examples > 0) {
        await ctx.artifacts.write("images/saliency.png", saliencyGrid(loaded.model, data, { examples: config.saliency.examples, samples: config.saliency.smoothGradSamples, noise: config.saliency.noise }, ctx.streams.get("saliency")));
        images.push({
          title: `What the predicted class's logit is sensitive to: ${Math.min(config.saliency.examples, data.n)} examples`,
          caption: `Rows: the examples, the gradient of the predicted logit with respect to the input (Simonyan et al. 2014), SmoothGrad over ${config.saliency.smoothGradSamples} noisy copies (noise sd ${config.saliency.noise}; Smilkov et al. 2017). Gray is 0, dark raises the logit; colour images are shown as their channel mean.`,
          path: "images/saliency.png",
        });
        for (const grid of activationGrids(loaded.model, data, config.saliency.examples)) {
          const path = `images/activations-${grid.layer.replace(/[^A-Za-z0-9_.-]/g, "_")}.png`;
          await ctx.artifacts.write(path, grid.png);
          images.push({ title: `Activations of ${grid.layer} (${grid.units} units) for the same examples`, caption: `One tile per example, units in rows of ${grid.columns}; dark = strongly active, each tile scaled to its own maximum.`, path });
        }
      }

      timing.saliencySeconds = (performance.now() - saliencyStarted) / 1000;
      const builtIn = (BUILT_IN_DATASETS as readonly string[]).includes(config.data.dataset);
      if (config.reference === "auto" && builtIn && ctx.models.reference) {
        const kind = hasConvolution(loaded) ? "cnn" : "mlp";
        const reference = await ctx.models.reference(kind, config.data.dataset);
        try {
          checkFits(reference, data, `quirklab's baseline ${kind}`);
          const referenceStarted = performance.now();
          const theirs = await measureModel(reference.model, data, config, ctx, "reference/", `baseline ${kind}`);
          timing.referenceSeconds = (performance.now() - referenceStarted) / 1000;
          for (const [k, v] of Object.entries(theirs.metrics)) metrics[`reference.${k}`] = v;
          metrics["reference.parameters"] = reference.model.parameterCount();
          Object.assign(details, { reference: theirs.details, referenceKind: kind, referenceDescription: reference.model.toString(), referenceSource: reference.description });
        } finally {
          reference.model.dispose();
        }
      }
      return { metrics, details, timing };
    } finally {
      loaded.model.dispose();
    }
  },
});
