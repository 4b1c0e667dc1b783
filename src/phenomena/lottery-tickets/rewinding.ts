/**
 * Rewinding (Frankle, Dziugaite, Roy & Carbin 2020): iterative magnitude pruning as in `lottery-ticket`, but the
 * survivors restart from their values at iteration k of the dense net's training instead of from initialization.
 * Reported, not judged: where, on this network, rewinding to initialization stops being enough.
 */
import { ConfigError } from "../../core/errors.js";
import type { TrainPlugin } from "../../training/loop.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { kernelSlots } from "../../analysis/compression/prune.js";
import { earlyStopTracker, maskedStart, pruneSurvivors, remainingFraction } from "../../analysis/compression/lottery.js";
import { defineExperiment, type FigureSpec } from "../experiment.js";
import { loadSplits } from "../data.js";
import { earlyStopEvaluation, splitValidation } from "./validation-split.js";
import { remainingKey } from "./lottery-ticket.schema.js";
import { rewindingDetails, rewindingSchema, rewindKey, type RewindingConfig } from "./rewinding.schema.js";
import { totalStepsOf } from "../../training/schedule.js";

/** Keeps the parameter vector at the given iterations of one training run (0: before the first step). */
function snapshots(iterations: readonly number[]): TrainPlugin & { taken: Map<number, Float32Array> } {
  const taken = new Map<number, Float32Array>();
  return {
    name: "snapshots",
    taken,
    beforeTraining(state) {
      if (iterations.includes(0)) taken.set(0, state.model.getFlat());
    },
    afterBatch(state) {
      if (iterations.includes(state.step)) taken.set(state.step, state.model.getFlat());
    },
  };
}

function rewindingFigures(metrics: Record<string, number>, config: RewindingConfig): FigureSpec[] {
  const rounds = Array.from({ length: config.rounds + 1 }, (_, r) => r);
  return [
    {
      id: "accuracy",
      kind: "line",
      title: "Test accuracy against the weights remaining, by rewinding iteration",
      caption: "Each line one chain of iterative magnitude pruning whose survivors restart from iteration k of the dense run (k = 0: the lottery ticket).",
      x: "weights remaining, % (log)",
      y: "test accuracy",
      logX: true,
      series: config.rewindTo.map((k) => ({ name: `rewound to iteration ${k}`, points: rounds.map((r): [number, number] => [(metrics[remainingKey(r)] ?? Number.NaN) * 100, metrics[rewindKey("testAccuracy", k, r)] ?? Number.NaN]) })),
    },
  ];
}

export const rewinding = defineExperiment({
  id: "rewinding",
  title: "Rewinding: lottery tickets restarted from an early iteration instead of initialization",
  property: "lottery-tickets",
  description: "Iterative magnitude pruning of LeNet-300-100 whose survivors restart from iteration k of the dense net's training (k = 0 is the lottery ticket); test accuracy against the weights remaining for each k.",
  schema: rewindingSchema,
  presets: {
    quick: { data: { trainSize: 2500, testSize: 1000 }, validationSize: 500, train: { epochs: 2 }, evalEvery: 25, rounds: 10, rewindTo: [0, 20, 68] },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 }, validationSize: 5000, train: { epochs: 3 }, evalEvery: 250, rewindTo: [0, 100, 500, 2750] },
  },
  details: rewindingDetails,
  figures: (r, config) => rewindingFigures(r.metrics, config),
  async run(config, ctx) {
    const { train: drawn, test } = await loadSplits(ctx, config.data);
    const { train, validation } = splitValidation(drawn, config.validationSize);
    const steps = totalStepsOf(config.train, train.n);
    const late = config.rewindTo.filter((k) => k > steps);
    if (late.length) throw new ConfigError(`rewindTo has iterations after the dense run's last (${steps}): ${late.join(", ")}`, `use iterations from 0 to ${steps}`);
    const evaluateAt = earlyStopEvaluation(validation, test);

    // The dense run, which every chain's round 0 is and every rewinding point comes from.
    const keep = snapshots(config.rewindTo);
    const denseTracker = earlyStopTracker(evaluateAt, config.evalEvery);
    const dense = await trainNamedModel(ctx, "dense", config.model, train, config.train, { initFrom: "ticket", orderFrom: "round-0", plugins: [keep, denseTracker] });
    const kernels = kernelSlots(dense);
    const denseTheta = dense.getFlat();
    dense.dispose();
    const rates = kernels.map((_, k) => (k === kernels.length - 1 ? config.pruneRate.output : config.pruneRate.hidden));

    const metrics: Record<string, number> = { [remainingKey(0)]: 1 };
    const chains: Record<string, { round: number; remaining: number; testAccuracy: number; earlyStopIteration: number }[]> = {};
    const total = config.rewindTo.length * config.rounds;
    let done = 0;
    for (const k of config.rewindTo) {
      const start = keep.taken.get(k)!;
      const dense0 = denseTracker.record();
      metrics[rewindKey("testAccuracy", k, 0)] = dense0.testAccuracy;
      metrics[rewindKey("earlyStop", k, 0)] = dense0.iteration;
      const rows = [{ round: 0, remaining: 1, testAccuracy: dense0.testAccuracy, earlyStopIteration: dense0.iteration }];
      let mask = pruneSurvivors(denseTheta, new Float32Array(denseTheta.length).fill(1), kernels, rates);
      for (let round = 1; round <= config.rounds; round++) {
        const remaining = remainingFraction(mask, kernels);
        metrics[remainingKey(round)] = remaining;
        const tracker = earlyStopTracker(evaluateAt, config.evalEvery);
        // The same data order as lottery-ticket's rounds: the rewinding point is all that differs between chains.
        const model = await trainNamedModel(ctx, `rewind-${k}-round-${round}`, config.model, train, config.train, { initFrom: "ticket", orderFrom: `round-${round}`, plugins: [maskedStart(start, mask), tracker] });
        try {
          const record = tracker.record();
          metrics[rewindKey("testAccuracy", k, round)] = record.testAccuracy;
          metrics[rewindKey("earlyStop", k, round)] = record.iteration;
          rows.push({ round, remaining, testAccuracy: record.testAccuracy, earlyStopIteration: record.iteration });
          mask = pruneSurvivors(model.getFlat(), mask, kernels, rates);
        } finally {
          model.dispose();
        }
        ctx.progress({ phase: "chains", step: ++done, total, detail: `rewound to ${k}, ${(remaining * 100).toFixed(1)}% left: ${(metrics[rewindKey("testAccuracy", k, round)]! * 100).toFixed(2)}%` });
      }
      chains[String(k)] = rows;
    }
    return { metrics, details: { chains } };
  },
});
