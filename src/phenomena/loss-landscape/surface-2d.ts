/**
 * Li et al. 2018, 2-D: the same net trained with small and large batches from one initialization (the batch-size
 * protocol of property 4), then the training loss on a filter-normalized plane through each solution — the same two
 * Gaussian draws, normalized to each net's filters. Li et al.'s claim: on filter-normalized plots, sharpness lines up
 * with generalization — the small-batch minimum looks wider and tests better.
 */
import { evaluate } from "../../training/evaluate.js";
import { randomSubset } from "../../data/transforms.js";
import type { Sequential } from "../../models/sequential.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { regimesFor, trainRegime } from "../../analysis/regimes.js";
import { filterNormalize, gaussianDirection, slotsOf } from "../../analysis/landscape/directions.js";
import { basinArea, centredGrid, surfaceGrid, type SurfaceCell } from "../../analysis/landscape/surface.js";
import { surfaceDetails, surfaceSchema, type SurfaceDetails } from "./surface-2d.schema.js";
import { surfaceClaim } from "./surface-2d.claim.js";

const log10 = (v: number) => Math.log10(Math.max(v, 1e-12));

function surfaceFigures(details: SurfaceDetails | undefined): FigureSpec[] {
  const surfaces = details?.surfaces;
  if (!surfaces?.length) return [];
  const all = surfaces.flatMap((s) => s.loss.flat().map(log10));
  const domain: [number, number] = [Math.min(...all), Math.max(...all)];
  const figures: FigureSpec[] = surfaces.map((s) => ({
    kind: "heatmap",
    id: `surface-${s.name}`,
    title: `Training loss around the ${s.name}-batch solution, filter-normalized plane (log10)`,
    caption: `The solution is the centre cell. Colour: log10 training loss from ${domain[0].toFixed(1)} (dark) to ${domain[1].toFixed(1)} (yellow), one scale for both maps, so a wider dark basin is a flatter minimum.`,
    x: "alpha",
    y: "beta",
    columns: s.alphas.map((a) => a.toFixed(2)),
    rows: s.betas.map((b) => b.toFixed(2)).reverse(),
    values: [...s.loss].reverse().map((row) => row.map(log10)),
    domain,
    scheme: "viridis",
  }));
  const mid = (s: (typeof surfaces)[number]) => s.loss[(s.betas.length - 1) / 2]!;
  figures.push({
    kind: "line",
    id: "surface-slices",
    title: "The beta = 0 slice of both surfaces",
    caption: "Li et al.'s 1-D view: the small-batch curve opens wider around its minimum.",
    x: "alpha (filter-normalized)",
    y: "training loss (log)",
    logY: true,
    series: surfaces.map((s) => ({ name: `${s.name} batch`, points: s.alphas.map((a, i) => [a, Math.max(mid(s)[i]!, 1e-12)] as [number, number]) })),
  });
  return figures;
}

export const surface2d = defineExperiment({
  id: "surface-2d",
  title: "2-D loss surfaces: small vs large batch, filter-normalized",
  property: "loss-landscape",
  description: "Trains one MLP with small and large batches from the same init, then maps the training loss on a filter-normalized plane through each solution (Li et al. 2018).",
  schema: surfaceSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, smallEpochs: 15, largeEpochs: 60, grid: { points: 11, examples: 2000 } },
    standard: {},
  },
  claim: surfaceClaim,
  details: surfaceDetails,
  figures: (r) => surfaceFigures(r.details),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const surfaceSet = randomSubset(train, config.grid.examples, ctx.streams.get("surface/examples"));
    const regimes = regimesFor(config, train.n);
    const alphas = centredGrid(config.grid.radius, config.grid.points);
    const betas = alphas;
    const metrics: Record<string, number> = {};
    const surfaces: { name: string; alphas: number[]; betas: number[]; loss: number[][] }[] = [];
    let gaussian: [Float32Array, Float32Array] | undefined;
    const models: Sequential[] = [];
    try {
      for (const regime of regimes) {
        const { model, result } = await trainRegime(ctx, config, regime, train);
        models.push(model);
        const m = regime.name;
        const theta = model.getFlat();
        // The same two Gaussian draws for both nets, each normalized to its own filters: comparable planes.
        gaussian ??= [gaussianDirection(theta.length, ctx.streams.get("directions")), gaussianDirection(theta.length, ctx.streams.get("directions"))];
        const slots = slotsOf(model);
        const [d1, d2] = gaussian.map((g) => filterNormalize(g, theta, slots)) as [Float32Array, Float32Array];
        metrics[`${m}.batchSize`] = regime.batchSize;
        metrics[`${m}.epochs`] = result.history.length;
        metrics[`${m}.trainLoss`] = evaluate(model, train).loss;
        metrics[`${m}.testAccuracy`] = evaluate(model, test).accuracy;
        const total = alphas.length * betas.length;
        const cells = await surfaceGrid(model, theta, d1, d2, alphas, betas, surfaceSet, {
          signal: ctx.signal,
          onCell: (c: SurfaceCell, done) => {
            ctx.emit({ type: "cell", surface: m, i: c.i, j: c.j, alpha: c.alpha, beta: c.beta, loss: c.loss, columns: alphas.length, rows: betas.length });
            ctx.progress({ phase: `surface ${m}`, step: done, total, fine: true });
          },
        });
        const centre = cells.find((c) => c.alpha === 0 && c.beta === 0)!.loss;
        metrics[`${m}.centreLoss`] = centre;
        metrics[`${m}.basinArea`] = basinArea(cells, centre, config.basinRise);
        metrics[`${m}.meanLog10Loss`] = cells.reduce((s, c) => s + log10(c.loss), 0) / cells.length;
        surfaces.push({ name: m, alphas, betas, loss: betas.map((_, j) => alphas.map((_, i) => cells[j * alphas.length + i]!.loss)) });
        ctx.progress({ phase: "regime", step: surfaces.length, total: regimes.length, detail: `${m} batch ${regime.batchSize}: ${result.history.length} epochs, basin ${(metrics[`${m}.basinArea`]! * 100).toFixed(0)}% of the plane` });
        model.dispose();
        models.pop();
      }
      metrics.basinRatio = metrics["small.basinArea"]! / metrics["large.basinArea"]!;
      return { metrics, details: { surfaces, regimes } };
    } finally {
      for (const m of models) m.dispose();
    }
  },
});
