/** What a sharpness trace says about the edge of stability, as metrics; and the traces' stored shape. */
import { z } from "zod";
import { measuredNumber } from "../details.js";

/** The metric prefix of one step size, e.g. "eta=0.02". */
export function etaKey(eta: number): string {
  return `eta=${eta}`;
}

export const edgeOfStabilityDetails = z.object({
  traces: z
    .record(
      z.string(),
      z.object({
        sharpness: z.array(z.object({ step: measuredNumber, eigenvalue: measuredNumber })),
        /** loss[t]: the training loss after t steps. */
        loss: z.array(measuredNumber),
      }),
    )
    .optional(),
});
export type EdgeOfStabilityDetails = z.output<typeof edgeOfStabilityDetails>;

/**
 * The sharpness in units of 2/eta (1 is the edge), its largest value, its range over the final part of training, the
 * first step where it reached `reach`, and how the loss behaved over that final part: how far it still fell, and on
 * what fraction of steps it rose (gradient descent on a quadratic past 2/eta would diverge; at the edge the loss rises
 * on some steps and still falls over many).
 */
export function summarizeTrace(key: string, eta: number, points: { step: number; eigenvalue: number }[], losses: number[], finalFraction: number, reach = 0.9): Record<string, number> {
  const edge = 2 / eta;
  const ratios = points.map((p) => p.eigenvalue / edge);
  const totalSteps = losses.length;
  const finalFrom = Math.floor((1 - finalFraction) * totalSteps);
  const finalRatios = points.flatMap((p, i) => (p.step >= finalFrom ? [ratios[i]!] : []));
  const firstAtEdge = points.find((_, i) => ratios[i]! >= reach);
  const finalLosses = losses.slice(finalFrom);
  let rises = 0;
  for (let t = 1; t < finalLosses.length; t++) if (finalLosses[t]! > finalLosses[t - 1]!) rises++;
  return {
    [`${key}.initialSharpness`]: points[0]?.eigenvalue ?? Number.NaN,
    [`${key}.maxRatio`]: ratios.length ? Math.max(...ratios) : Number.NaN,
    [`${key}.finalMinRatio`]: finalRatios.length ? Math.min(...finalRatios) : Number.NaN,
    [`${key}.finalMaxRatio`]: finalRatios.length ? Math.max(...finalRatios) : Number.NaN,
    [`${key}.finalMeanRatio`]: finalRatios.length ? finalRatios.reduce((a, b) => a + b, 0) / finalRatios.length : Number.NaN,
    [`${key}.stepAtEdge`]: firstAtEdge?.step ?? Number.NaN,
    [`${key}.initialLoss`]: losses[0] ?? Number.NaN,
    [`${key}.finalLoss`]: losses.at(-1) ?? Number.NaN,
    [`${key}.finalPartLossRatio`]: finalLosses.length ? finalLosses.at(-1)! / finalLosses[0]! : Number.NaN,
    [`${key}.finalPartRisingSteps`]: finalLosses.length > 1 ? rises / (finalLosses.length - 1) : Number.NaN,
  };
}
