/**
 * Shapes of the `details` a run keeps for its figures. A run's details are written to summary.json and read back (by
 * the report, `quirklab show`, an aggregate, another version of quirklab), so figure code never trusts them: each
 * experiment names the shape it reads, assess() checks it, and the figure functions receive typed data.
 */
import { z } from "zod";

/** A measured number as JSON keeps it: NaN and +-Infinity are written as null, and read back as NaN. */
export const measuredNumber = z
  .custom<number | null>((v) => typeof v === "number" || v === null, "expected a number (or null for a figure that was not finite)")
  .transform((v) => (v === null ? Number.NaN : v));

export const measuredNumbers = z.array(measuredNumber);

/** One point of a line scan (analysis/landscape/line.ts LinePoint): loss and accuracy per evaluated set. */
export const linePointDetails = z.object({
  alpha: measuredNumber,
  loss: z.record(z.string(), measuredNumber),
  accuracy: z.record(z.string(), measuredNumber),
});

/** A training curve's rows: an epoch (or step) and the figures measured there. */
export const curveRow = <K extends string>(fields: readonly K[]) =>
  z.object(Object.fromEntries(fields.map((f) => [f, measuredNumber])) as Record<K, typeof measuredNumber>);
