/**
 * Mode connectivity (Garipov et al. 2018): two independently trained MLPs, the straight line between them, and a
 * quadratic Bézier curve whose control point is trained to keep the loss low all along it.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { lineScan, alphaGrid, barrier, valueAt } from "../../analysis/landscape/line.js";
import { curveScan, fitBezierControl } from "../../analysis/landscape/bezier.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits, saveModel } from "../data.js";
import { modeConnectivityDetails, modeConnectivitySchema } from "./mode-connectivity.schema.js";
import { modeConnectivityClaim } from "./mode-connectivity.claim.js";
import { modeConnectivityFigures } from "./figures.js";

export const modeConnectivity = defineExperiment({
  id: "mode-connectivity",
  title: "Mode connectivity: a curve of low loss between two solutions",
  property: "mode-connectivity",
  description: "Two 784-100-10 MLPs trained from different seeds; training loss and test error along the straight line between them and along a quadratic Bézier curve whose control point is trained on the loss averaged along the curve.",
  schema: modeConnectivitySchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 8 }, curve: { epochs: 4 }, step: 0.1 },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 }, train: { epochs: 20 }, curve: { epochs: 20 } },
  },
  claim: modeConnectivityClaim,
  details: modeConnectivityDetails,
  figures: (r, config) => modeConnectivityFigures(r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const a = await trainNamedModel(ctx, "a", config.model, train, config.train);
    const b = await trainNamedModel(ctx, "b", config.model, train, config.train);
    try {
      const thetaA = a.getFlat();
      const thetaB = b.getFlat();
      const control = await fitBezierControl(a, thetaA, thetaB, train, config.curve, { order: ctx.streams.get("data-order/curve"), t: ctx.streams.get("noise/curve-t") }, {
        signal: ctx.signal,
        onStep: (step, total) => ctx.progress({ phase: "curve", step, total, fine: true }),
      });
      const ts = alphaGrid(0, 1, config.step);
      const sets = [
        { name: "train", data: train },
        { name: "test", data: test },
      ];
      const line = await lineScan(a, thetaA, thetaB, ts, sets, { signal: ctx.signal });
      const curve = await curveScan(a, thetaA, control, thetaB, ts, sets, ctx.signal);
      // The curve's middle as a network of its own: the figures' solution halfway between the two.
      a.setFlat(control);
      await saveModel(ctx, "bezier-control", a);
      a.setFlat(thetaA);

      const testError = (points: typeof line) => points.map((p) => 1 - p.accuracy.test!);
      const trainLoss = (points: typeof line) => points.map((p) => p.loss.train!);
      const lineErrors = testError(line);
      const curveErrors = testError(curve);
      const endpointTestError = Math.max(lineErrors[0]!, lineErrors[lineErrors.length - 1]!);
      const curveMaxTestError = Math.max(...curveErrors);
      const metrics = {
        endpointTestError,
        lineLossBarrier: barrier(ts, trainLoss(line)).barrier,
        lineErrorBarrier: barrier(ts, lineErrors).barrier,
        lineMidTestError: valueAt(ts, lineErrors, 0.5),
        curveLossBarrier: barrier(ts, trainLoss(curve)).barrier,
        curveMaxTestError,
        curveExcessError: curveMaxTestError - endpointTestError,
        curveMidTestError: valueAt(ts, curveErrors, 0.5),
      };
      return { metrics, details: { paths: { line, curve } } };
    } finally {
      a.dispose();
      b.dispose();
    }
  },
});
