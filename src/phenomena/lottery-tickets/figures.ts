import type { FigureSpec } from "../experiment.js";
import { ARMS, remainingKey, roundKey, type Arm, type LotteryTicketConfig } from "./lottery-ticket.schema.js";

const LABEL: Record<Arm, string> = { ticket: "winning ticket (rewound to init)", reinit: "same mask, re-initialized", randomMask: "random mask, same density" };

export function lotteryFigures(metrics: Record<string, number>, config: LotteryTicketConfig): FigureSpec[] {
  const rounds = Array.from({ length: config.rounds + 1 }, (_, r) => r);
  const line = (what: "testAccuracy" | "earlyStop") =>
    ARMS.map((arm) => ({
      name: LABEL[arm],
      points: rounds.filter((r) => metrics[roundKey(arm, what, r)] !== undefined || r === 0).map((r): [number, number] => [(metrics[remainingKey(r)] ?? Number.NaN) * 100, metrics[roundKey(r === 0 ? "ticket" : arm, what, r)] ?? Number.NaN]),
    }));
  return [
    {
      id: "accuracy",
      kind: "line",
      title: "Test accuracy against the weights remaining",
      caption: "At the early-stopping iteration (minimum validation loss). All three start from the dense net at 100%.",
      x: "weights remaining, % (log)",
      y: "test accuracy",
      logX: true,
      series: line("testAccuracy"),
    },
    {
      id: "early-stop",
      kind: "line",
      title: "Early-stopping iteration against the weights remaining",
      caption: "The iteration of minimum validation loss: Frankle & Carbin's tickets learn faster as they shrink, down to a point.",
      x: "weights remaining, % (log)",
      y: "early-stopping iteration",
      logX: true,
      series: line("earlyStop"),
    },
  ];
}
