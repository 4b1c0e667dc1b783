/** Config helpers for a sweep's list of values (sizes, widths, iterations): the figures and claims rely on its order. */
import { z } from "zod";

/** The list must be strictly ascending; the issue names the first pair out of order (its path: the later index). */
export function strictlyAscending<T extends z.ZodType<number[]>>(list: T) {
  return list.superRefine((values, issues) => {
    for (let i = 1; i < values.length; i++) {
      if (!(values[i]! > values[i - 1]!)) {
        issues.addIssue({ code: "custom", path: [i], message: `must be strictly ascending (${values[i - 1]} then ${values[i]})` });
        return;
      }
    }
  });
}

/** Log-spaced counts (epochs, steps) 1..last: distinct, ascending, the last included. */
export function logSpaced(last: number, points: number): number[] {
  const out = new Set<number>([last]);
  for (let i = 0; i < points; i++) out.add(Math.max(1, Math.round(Math.exp((Math.log(last) * i) / Math.max(1, points - 1)))));
  return [...out].filter((e) => e <= last).sort((a, b) => a - b);
}
