/**
 * The lottery ticket hypothesis (Frankle & Carbin 2019): iterative magnitude pruning of LeNet-300-100, the survivors
 * rewound to their original initialization each round, against the same masks with a fresh initialization and against
 * random masks of the same per-layer density.
 */
import { buildModel } from "../../models/builders.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { kernelSlots } from "../../analysis/compression/prune.js";
import { earlyStopTracker, maskedStart, pruneSurvivors, randomMaskLike, remainingFraction } from "../../analysis/compression/lottery.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { earlyStopEvaluation, splitValidation } from "./validation-split.js";
import { ARMS, lotteryTicketDetails, lotteryTicketSchema, remainingKey, roundKey, type Arm } from "./lottery-ticket.schema.js";
import { lotteryTicketClaim } from "./lottery-ticket.claim.js";
import { lotteryFigures } from "./figures.js";

export const lotteryTicket = defineExperiment({
  id: "lottery-ticket",
  title: "Lottery tickets: sparse subnetworks that train from their original initialization",
  property: "lottery-tickets",
  description: "Iterative magnitude pruning of LeNet-300-100 (20% of the hidden weights, 10% of the output weights per round), survivors rewound to their initial values; against the same mask re-initialized and random masks of the same density.",
  schema: lotteryTicketSchema,
  presets: {
    quick: { data: { trainSize: 2500, testSize: 1000 }, validationSize: 500, train: { epochs: 2 }, evalEvery: 25 },
    standard: {},
    paper: { data: { trainSize: 60000, testSize: 10000 }, validationSize: 5000, train: { epochs: 3 }, evalEvery: 250 },
  },
  claim: lotteryTicketClaim,
  details: lotteryTicketDetails,
  figures: (r, config) => lotteryFigures(r.metrics, config),
  async run(config, ctx) {
    const { train: drawn, test } = await loadSplits(ctx, config.data);
    const { train, validation } = splitValidation(drawn, config.validationSize);
    const shape = { input: train.shape, classes: train.classes };
    const initialValues = (stream: string) => {
      const m = buildModel(config.model, shape, ctx.streams.fresh(stream));
      try {
        return { theta: m.getFlat(), kernels: kernelSlots(m) };
      } finally {
        m.dispose();
      }
    };
    const { theta: theta0, kernels } = initialValues("init/ticket");
    const rates = kernels.map((_, k) => (k === kernels.length - 1 ? config.pruneRate.output : config.pruneRate.hidden));
    const evaluateAt = earlyStopEvaluation(validation, test);

    const metrics: Record<string, number> = {};
    const rows: Record<Arm, { round: number; remaining: number; testAccuracy: number; finalTestAccuracy: number; earlyStopIteration: number }[]> = { ticket: [], reinit: [], randomMask: [] };
    let mask: Float32Array = new Float32Array(theta0.length).fill(1);
    for (let round = 0; round <= config.rounds; round++) {
      const remaining = remainingFraction(mask, kernels);
      metrics[remainingKey(round)] = remaining;
      let next = mask;
      // Round 0 is the dense net: its controls would be the same network.
      for (const arm of round === 0 ? (["ticket"] as const) : ARMS) {
        const start = arm === "reinit" ? initialValues(`init/reinit-${round}`).theta : theta0;
        const armMask = arm === "randomMask" ? randomMaskLike(mask, kernels, ctx.streams.fresh(`noise/random-mask-${round}`)) : mask;
        const tracker = earlyStopTracker(evaluateAt, config.evalEvery);
        // Every arm of a round sees the same data order: the initialization and the mask are what differ.
        const model = await trainNamedModel(ctx, `${arm}-round-${round}`, config.model, train, config.train, { initFrom: "ticket", orderFrom: `round-${round}`, plugins: [maskedStart(start, armMask), tracker] });
        try {
          const record = tracker.record();
          metrics[roundKey(arm, "testAccuracy", round)] = record.testAccuracy;
          metrics[roundKey(arm, "finalTestAccuracy", round)] = record.finalTestAccuracy;
          metrics[roundKey(arm, "earlyStop", round)] = record.iteration;
          rows[arm].push({ round, remaining, testAccuracy: record.testAccuracy, finalTestAccuracy: record.finalTestAccuracy, earlyStopIteration: record.iteration });
          if (arm === "ticket") next = pruneSurvivors(model.getFlat(), mask, kernels, rates);
        } finally {
          model.dispose();
        }
      }
      ctx.progress({
        phase: "rounds",
        step: round + 1,
        total: config.rounds + 1,
        detail: `${(remaining * 100).toFixed(1)}% left: ticket ${(metrics[roundKey("ticket", "testAccuracy", round)]! * 100).toFixed(2)}%${round ? `, reinit ${(metrics[roundKey("reinit", "testAccuracy", round)]! * 100).toFixed(2)}%` : ""}`,
      });
      mask = next;
    }
    return { metrics, details: { rounds: rows } };
  },
});
