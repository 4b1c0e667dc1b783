import { check, difference, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import { remainingKey, roundKey, type LotteryTicketConfig } from "./lottery-ticket.schema.js";

/** The pruning round whose remaining fraction of weights is nearest `target` (read from the metrics). */
export function roundNearest(metrics: Record<string, number>, rounds: number, target: number): number {
  let best = 0;
  for (let r = 0; r <= rounds; r++) {
    const here = metrics[remainingKey(r)];
    const current = metrics[remainingKey(best)];
    if (here !== undefined && (current === undefined || Math.abs(Math.log(here / target)) < Math.abs(Math.log(current / target)))) best = r;
  }
  return best;
}

export const lotteryTicketClaim: Claim<LotteryTicketConfig> = {
  statement:
    "A dense network contains a sparse subnetwork — a winning ticket — that, reset to its original initialization and trained alone, matches the dense net's accuracy at a tenth of its size; the same sparse structure with a fresh initialization does worse.",
  citation: "Frankle & Carbin 2019, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks (ICLR)",
  verdict(metrics, config) {
    const match = roundNearest(metrics, config.rounds, config.claim.matchAt);
    const gap = roundNearest(metrics, config.rounds, config.claim.gapAt);
    const pct = (r: number) => formats.percent(1)(metrics[remainingKey(r)] ?? Number.NaN);
    const pp = { format: formats.points(2), formatBound: formats.points(2) };
    return judge([
      check(`round ${match} (${pct(match)} of the weights left): dense accuracy minus the ticket's`, difference(metrics[roundKey("ticket", "testAccuracy", 0)], metrics[roundKey("ticket", "testAccuracy", match)]), { atMost: config.claim.maxLossVsDense }, pp),
      check(`round ${gap} (${pct(gap)} left): the ticket's accuracy minus the same mask re-initialized`, difference(metrics[roundKey("ticket", "testAccuracy", gap)], metrics[roundKey("reinit", "testAccuracy", gap)]), { atLeast: config.claim.minGapOverReinit }, pp),
    ], { reported: [`random mask of the same density at round ${gap}: ${formats.percent(2)(metrics[roundKey("randomMask", "testAccuracy", gap)] ?? Number.NaN)}`] });
  },
  interpret(metrics, config) {
    const acc = (arm: "ticket" | "reinit" | "randomMask", r: number) => formats.percent(2)(metrics[roundKey(arm, "testAccuracy", r)] ?? Number.NaN);
    const gap = roundNearest(metrics, config.rounds, config.claim.gapAt);
    const left = formats.percent(1)(metrics[remainingKey(gap)] ?? Number.NaN);
    return (
      `The dense LeNet-300-100 tests at ${acc("ticket", 0)} (at its early-stopping iteration). With ${left} of its weights left after ${gap} rounds of pruning, ` +
      `the ticket — the survivors reset to their original initial values — tests at ${acc("ticket", gap)}; the same mask with a fresh initialization at ${acc("reinit", gap)}, a random mask of the same density at ${acc("randomMask", gap)}. ` +
      `The ticket's early-stopping iteration: ${metrics[roundKey("ticket", "earlyStop", gap)] ?? "-"} against ${metrics[roundKey("ticket", "earlyStop", 0)] ?? "-"} for the dense net.`
    );
  },
  deviations:
    "Frankle & Carbin trained LeNet-300-100 for 50,000 iterations per round on 55,000 digits (5,000 for validation); docs/criteria.md §8.2 scales this to 8,000 digits and 5 epochs per round (the standard preset; 670 iterations). Layer-wise pruning at their rates (20% hidden, 10% output), biases kept. Accuracy is read at the iteration of minimum validation loss, as they report it.",
};
