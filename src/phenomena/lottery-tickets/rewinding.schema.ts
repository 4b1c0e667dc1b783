import { z } from "zod";
import { strictlyAscending } from "../sweep.js";
import { lotteryTicketSchema } from "./lottery-ticket.schema.js";
import { curveRow } from "../details.js";

const base = lotteryTicketSchema.shape;

export const rewindingSchema = z.strictObject({
  data: base.data,
  validationSize: base.validationSize,
  model: base.model,
  train: base.train,
  pruneRate: base.pruneRate,
  evalEvery: base.evalEvery,
  /** Pruning rounds of each chain: 10 rounds leave 10.8% of the weights, 14 leave 4.5%. */
  rounds: z.number().int().min(1).max(40).default(14),
  /**
   * The iterations the survivors are rewound to (Frankle, Dziugaite, Roy & Carbin 2020): 0 is the lottery ticket's
   * original initialization; later iterations come from the dense net's own training run.
   */
  rewindTo: strictlyAscending(z.array(z.number().int().min(0).max(1_000_000)).min(1).max(12)).default([0, 25, 100, 250, 670]),
});

export type RewindingConfig = z.output<typeof rewindingSchema>;

export const rewindKey = (what: "testAccuracy" | "earlyStop", k: number, round: number) => `rewind${k}.${what}@${round}`;

export const REWIND_FIELDS = ["round", "remaining", "testAccuracy", "earlyStopIteration"] as const;
export const rewindingDetails = z.object({ chains: z.record(z.string(), z.array(curveRow(REWIND_FIELDS))).optional() });
export type RewindingDetails = z.output<typeof rewindingDetails>;
