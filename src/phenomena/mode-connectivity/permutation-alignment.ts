/**
 * Permutation alignment (Entezari et al. 2022; Ainsworth et al.'s weight matching): for each width, two 784-w-w-10
 * MLPs trained from different seeds; the barrier on the straight line between them before and after permuting the
 * second one's hidden units to match the first's.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { alphaGrid, barrier, lineScan } from "../../analysis/landscape/line.js";
import { slotsOf } from "../../analysis/landscape/directions.js";
import { denseLayers, permuteHidden, weightMatching } from "../../analysis/landscape/weight-matching.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits, saveModel } from "../data.js";
import { alignKey, permutationAlignmentDetails, permutationAlignmentSchema } from "./permutation-alignment.schema.js";
import { permutationAlignmentClaim } from "./permutation-alignment.claim.js";
import { alignmentFigures } from "./alignment-figures.js";

export const permutationAlignment = defineExperiment({
  id: "permutation-alignment",
  title: "Permutation alignment: matching hidden units removes the linear barrier",
  property: "mode-connectivity",
  description: "Two 784-w-w-10 MLPs per width from different seeds; the training-loss barrier on the straight line between them, before and after weight matching permutes the second net's hidden units (Git Re-Basin).",
  schema: permutationAlignmentSchema,
  presets: {
    // the standard recipe (10 epochs of SGD) on fewer digits and two widths
    quick: { data: { trainSize: 2000, testSize: 1000 }, widths: [16, 128] },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 }, widths: [32, 64, 128, 256, 512, 1024], train: { epochs: 10 } },
  },
  claim: permutationAlignmentClaim,
  details: permutationAlignmentDetails,
  figures: (r, config) => alignmentFigures(r.metrics, r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const alphas = alphaGrid(0, 1, config.step);
    const sets = [
      { name: "train", data: train },
      { name: "test", data: test },
    ];
    const metrics: Record<string, number> = {};
    const lines: Record<string, Record<string, number>[]> = {};
    for (const [index, width] of config.widths.entries()) {
      const spec = { ...config.model, hidden: [width, width] };
      const a = await trainNamedModel(ctx, `a-${width}`, spec, train, config.train);
      const b = await trainNamedModel(ctx, `b-${width}`, spec, train, config.train);
      try {
        const thetaA = a.getFlat();
        const thetaB = b.getFlat();
        const slots = slotsOf(a);
        const matching = weightMatching(thetaA, thetaB, slots, ctx.streams.get(`noise/matching-${width}`), config.maxIterations);
        const aligned = permuteHidden(thetaB, denseLayers(slots), matching.perms);
        b.setFlat(aligned);
        await saveModel(ctx, `b-${width}-aligned`, b);
        const before = await lineScan(a, thetaA, thetaB, alphas, sets, { signal: ctx.signal });
        const after = await lineScan(a, thetaA, aligned, alphas, sets, { signal: ctx.signal });
        const lossBefore = before.map((p) => p.loss.train!);
        const lossAfter = after.map((p) => p.loss.train!);
        const errorBefore = before.map((p) => 1 - p.accuracy.test!);
        const errorAfter = after.map((p) => 1 - p.accuracy.test!);
        const barrierBefore = barrier(alphas, lossBefore).barrier;
        const barrierAfter = barrier(alphas, lossAfter).barrier;
        metrics[alignKey("barrierBefore", width)] = barrierBefore;
        metrics[alignKey("barrierAfter", width)] = barrierAfter;
        metrics[alignKey("errorBarrierBefore", width)] = barrier(alphas, errorBefore).barrier;
        metrics[alignKey("errorBarrierAfter", width)] = barrier(alphas, errorAfter).barrier;
        metrics[alignKey("reduction", width)] = barrierBefore > 0 ? 1 - barrierAfter / barrierBefore : Number.NaN;
        metrics[alignKey("iterations", width)] = matching.iterations;
        metrics[alignKey("testError", width)] = Math.max(errorBefore[0]!, errorBefore[alphas.length - 1]!);
        lines[String(width)] = alphas.map((alpha, i) => ({ alpha, lossBefore: lossBefore[i]!, lossAfter: lossAfter[i]!, testErrorBefore: errorBefore[i]!, testErrorAfter: errorAfter[i]! }));
        ctx.progress({ phase: "widths", step: index + 1, total: config.widths.length, detail: `width ${width}: barrier ${barrierBefore.toFixed(3)} -> ${barrierAfter.toFixed(3)} nats (${matching.iterations} passes)` });
      } finally {
        a.dispose();
        b.dispose();
      }
    }
    return { metrics, details: { lines } };
  },
});
