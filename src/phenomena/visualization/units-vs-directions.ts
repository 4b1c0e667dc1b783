/**
 * Experiment 1a (Szegedy et al. 2014, section 3): the test images that excite each unit of a hidden layer most,
 * against those of random directions in the same space, scored by label purity; random pixel-space directions as
 * the control.
 */
import { featureSize } from "../../data/dataset.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { evaluate } from "../../training/evaluate.js";
import { unitsVsDirectionsSchema } from "./units-vs-directions.schema.js";
import { unitsVsDirectionsClaim } from "./units-vs-directions.claim.js";
import { findLayer, labelPurity, layerActivations, topKByDirection, topKForUnit } from "../../analysis/inside/activations.js";
import { activationGrids, randomUnitVector, saliencyGrid, topKGrid } from "../../analysis/inside/grids.js";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export const unitsVsDirections = defineExperiment({
  id: "units-vs-directions",
  title: "Black box: are single units more meaningful than random directions?",
  property: "visualization",
  description: "Top-k test images per hidden unit vs per random direction in the same layer, scored by label purity; pixel-space directions as control.",
  schema: unitsVsDirectionsSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 } },
    standard: {},
  },
  claim: unitsVsDirectionsClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "purity",
      title: "Label purity of the top images: units vs random directions",
      caption: "Purity = share of the top images carrying their most common label; chance is about 0.1-0.2 for 16 images.",
      x: "directions",
      y: "mean top-k label purity",
      bars: [
        { label: "hidden units", value: r.metrics["purity.units"] ?? Number.NaN },
        { label: "random hidden directions", value: r.metrics["purity.random"] ?? Number.NaN },
        { label: "random pixel directions", value: r.metrics["purity.pixels"] ?? Number.NaN },
      ],
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const model = await trainNamedModel(ctx, "net", config.model, train, config.train);
    try {
      const testAccuracy = evaluate(model, test).accuracy;
      const layer = findLayer(model, config.layer);
      const { values, width } = layerActivations(model, test, layer);
      const n = test.n;
      const alive: number[] = [];
      for (let j = 0; j < width; j++) {
        let active = false;
        for (let i = 0; i < n && !active; i++) active = values[i * width + j]! > 0;
        if (active || !config.excludeDead) alive.push(j);
      }
      const unitTops = alive.map((j) => topKForUnit(values, width, j, config.topK));
      const rng = ctx.streams.get("directions");
      const randomTops = Array.from({ length: config.randomDirections }, () => topKByDirection(values, width, randomUnitVector(width, rng), config.topK));
      const pixelWidth = featureSize(test);
      const pixelTops = Array.from({ length: config.randomDirections }, () => topKByDirection(test.x, pixelWidth, randomUnitVector(pixelWidth, rng), config.topK));
      const purity = (tops: Int32Array[]) => tops.map((t) => labelPurity(test.y, t));
      const metrics: Record<string, number> = {
        testAccuracy,
        "purity.units": mean(purity(unitTops)),
        "purity.random": mean(purity(randomTops)),
        "purity.pixels": mean(purity(pixelTops)),
        "units.total": width,
        "units.dead": width - alive.length,
      };
      ctx.emit({ type: "purity", units: purity(unitTops), random: purity(randomTops), pixels: purity(pixelTops) });
      const images: { title: string; caption: string; path: string }[] = [];
      if (config.shown > 0) {
        await ctx.artifacts.write("images/top-units.png", topKGrid(test, unitTops.slice(0, config.shown)));
        await ctx.artifacts.write("images/top-random.png", topKGrid(test, randomTops.slice(0, config.shown)));
        images.push(
          { title: `Top ${config.topK} test digits of ${Math.min(config.shown, unitTops.length)} hidden units`, caption: `One row per unit of layer ${model.layers[layer]!.name}, strongest first.`, path: "images/top-units.png" },
          { title: `Top ${config.topK} test digits of ${Math.min(config.shown, randomTops.length)} random directions in the same layer`, caption: "Would you tell these rows from the units' rows?", path: "images/top-random.png" },
        );
      }
      if (config.saliency.examples > 0) {
        for (const grid of activationGrids(model, test, config.saliency.examples)) {
          await ctx.artifacts.write(`images/activations-${grid.layer}.png`, grid.png);
          images.push({ title: `Activations of ${grid.layer} (${grid.units} units) for the same digits`, caption: `One tile per digit, units in rows of ${grid.columns}; dark = strongly active, each tile scaled to its own maximum.`, path: `images/activations-${grid.layer}.png` });
        }
        await ctx.artifacts.write("images/saliency.png", saliencyGrid(model, test, config.saliency, ctx.streams.get("saliency")));
        images.push({
          title: `What the predicted class's logit is sensitive to: ${Math.min(config.saliency.examples, test.n)} test digits`,
          caption: `Rows: the digits, the vanilla gradient of the predicted logit, SmoothGrad (${config.saliency.samples} copies, noise sd ${config.saliency.noise}); gray is 0, dark raises the logit. The speckle around the digits is real: pixels that are 0 in every training digit never move their first-layer weights, which keep their random initial values.`,
          path: "images/saliency.png",
        });
      }
      return { metrics, details: { layer: model.layers[layer]!.name, images } };
    } finally {
      model.dispose();
    }
  },
});
