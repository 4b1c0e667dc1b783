/**
 * Which of SGD's two random choices decides where a network ends — its initial weights or the order of its data?
 * A grid of runs crosses K initializations with K data orders (separate seeded streams, so one changes while the
 * other is held exactly). Every pair of runs is compared by test disagreement, parameter distance and the barrier
 * on the straight line between them (Frankle et al. 2020's test of stability to SGD noise).
 */
import { euclideanNorm } from "../../core/linalg.js";
import { mean } from "../../core/stats.js";
import type { Sequential } from "../../models/sequential.js";
import { predictClasses } from "../../training/evaluate.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { alphaGrid, barrier, lineScan } from "../../analysis/landscape/line.js";
import { orderVsInitDetails, orderVsInitSchema, PAIR_KINDS, type OrderVsInitDetails, type PairKind } from "./order-vs-init.schema.js";
import { PAIR_LABEL, orderVsInitClaim } from "./order-vs-init.claim.js";

export function pairKind(a: { init: number; order: number }, b: { init: number; order: number }): PairKind | undefined {
  if (a.init === b.init && a.order === b.order) return undefined;
  if (a.init === b.init) return "sameInit";
  if (a.order === b.order) return "sameOrder";
  return "neither";
}

interface PairResult {
  a: string;
  b: string;
  kind: PairKind;
  disagreement: number;
  distance: number;
  trainLossBarrier: number;
  testErrorBarrier: number;
  testError: number[];
}

/** ‖a − b‖ relative to the mean of ‖a‖ and ‖b‖. */
export function relativeDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s) / ((euclideanNorm(a) + euclideanNorm(b)) / 2);
}

export const orderVsInit = defineExperiment({
  id: "order-vs-init",
  title: "Order or initialization: which one decides where SGD ends?",
  property: "initialization",
  description: "A grid of runs crossing initializations with data orders; every pair compared by disagreement, distance and the straight-line barrier.",
  schema: orderVsInitSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 }, inits: 2, orders: 2 },
    standard: {},
  },
  claim: orderVsInitClaim,
  details: orderVsInitDetails,
  figures: (r) => orderVsInitFigures(r.details),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const runs: { name: string; init: number; order: number; params: Float32Array; predictions: Int32Array; testError: number }[] = [];
    let probe: Sequential | undefined;
    try {
      for (let i = 0; i < config.inits; i++)
        for (let o = 0; o < config.orders; o++) {
          const name = `init ${i + 1} order ${o + 1}`;
          // init/<init-i> and data-order/<order-o>: a run shares its initial weights with every run of its row and its
          // order of examples with every run of its column, exactly
          const model = await trainNamedModel(ctx, name, config.model, train, config.train, { initFrom: `init-${i + 1}`, orderFrom: `order-${o + 1}` });
          const predictions = predictClasses(model, test);
          let wrong = 0;
          predictions.forEach((p, k) => (wrong += p === test.y[k] ? 0 : 1));
          runs.push({ name, init: i, order: o, params: model.getFlat(), predictions, testError: wrong / test.n });
          if (probe) model.dispose();
          else probe = model;
          ctx.progress({ phase: "runs", step: runs.length, total: config.inits * config.orders, detail: `${name}: test error ${((wrong / test.n) * 100).toFixed(2)}%` });
        }
      const alphas = alphaGrid(0, 1, config.alphaStep);
      const pairs: PairResult[] = [];
      const totalPairs = (runs.length * (runs.length - 1)) / 2;
      for (let x = 0; x < runs.length; x++)
        for (let y = x + 1; y < runs.length; y++) {
          const a = runs[x]!;
          const b = runs[y]!;
          const kind = pairKind(a, b)!;
          const points = await lineScan(probe!, a.params, b.params, alphas, [
            { name: "train", data: train },
            { name: "test", data: test },
          ], { signal: ctx.signal });
          let same = 0;
          a.predictions.forEach((p, k) => (same += p === b.predictions[k] ? 1 : 0));
          const testError = points.map((p) => 1 - p.accuracy.test!);
          pairs.push({
            a: a.name,
            b: b.name,
            kind,
            disagreement: 1 - same / test.n,
            distance: relativeDistance(a.params, b.params),
            trainLossBarrier: barrier(alphas, points.map((p) => p.loss.train!)).barrier,
            testErrorBarrier: barrier(alphas, testError).barrier,
            testError,
          });
          ctx.progress({ phase: "pairs", step: pairs.length, total: totalPairs, fine: true, detail: `${a.name} vs ${b.name}` });
        }
      const metrics: Record<string, number> = { meanTestError: mean(runs.map((r) => r.testError)) };
      for (const kind of PAIR_KINDS) {
        const of = pairs.filter((p) => p.kind === kind);
        if (of.length === 0) continue;
        metrics[`${kind}.pairs`] = of.length;
        for (const field of ["disagreement", "distance", "trainLossBarrier", "testErrorBarrier"] as const) metrics[`${kind}.${field}`] = mean(of.map((p) => p[field]));
      }
      return { metrics, details: { runs: runs.map((r) => ({ name: r.name, init: r.init, order: r.order, testError: r.testError })), pairs, alphas } };
    } finally {
      probe?.dispose();
    }
  },
});

function orderVsInitFigures(details: OrderVsInitDetails | undefined): FigureSpec[] {
  if (!details) return [];
  const { runs, pairs, alphas } = details;
  const figures: FigureSpec[] = [];
  const names = runs.map((r) => r.name);
  const lookup = (a: string, b: string) => pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
  figures.push({
    kind: "heatmap",
    id: "disagreement",
    title: "Test disagreement between every two runs",
    caption: "Runs sorted by initialization, then order: dark blocks on the diagonal mean runs sharing an initialization agree.",
    x: "run",
    y: "run",
    columns: names,
    rows: names,
    values: names.map((a) => names.map((b) => (a === b ? 0 : (lookup(a, b)?.disagreement ?? Number.NaN)))),
    scheme: "oranges",
  });
  figures.push({
    kind: "line",
    id: "paths",
    title: "Test error on the straight line between two runs, mean over pairs",
    caption: "α = 0 and 1 are the two trained runs; a hump is a barrier between their basins.",
    x: "α",
    y: "test error",
    series: PAIR_KINDS.filter((k) => pairs.some((p) => p.kind === k)).map((kind) => {
      const of = pairs.filter((p) => p.kind === kind);
      return { name: PAIR_LABEL[kind], points: alphas.map((alpha, i): [number, number] => [alpha, mean(of.map((p) => p.testError[i]!))]) };
    }),
  });
  figures.push({
    kind: "bar",
    id: "barriers",
    title: "Training-loss barrier by what the two runs share",
    x: "pair",
    y: "barrier (nats)",
    bars: PAIR_KINDS.filter((k) => pairs.some((p) => p.kind === k)).map((kind) => ({ label: PAIR_LABEL[kind], value: mean(pairs.filter((p) => p.kind === kind).map((p) => p.trainLossBarrier)) })),
  });
  return figures;
}
