/**
 * Keskar et al.'s parametric plot (their Figure 3, criterion 4b): the loss on the line through the small-batch (α = 0)
 * and the large-batch (α = 1) solutions, extended beyond both, and how fast it rises just off each end.
 */
import { z } from "zod";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import type { FigureSpec } from "../experiment.js";
import { alphaGrid, lineScan, valueAt, type LinePoint } from "../../analysis/landscape/line.js";

export const sbLbLineSpec = z
  .strictObject({
    from: z.number().min(-5).max(0).default(-1),
    to: z.number().min(1).max(6).default(2),
    step: z.number().positive().max(1).default(0.05),
  })
  .prefault({});

/** Scans the line from `small` to `large` (the first model's parameters are restored) on the train and test sets. */
export async function scanSbLbLine(
  small: Sequential,
  large: Sequential,
  sets: { train: Dataset; test: Dataset },
  line: z.output<typeof sbLbLineSpec>,
  options: { signal?: AbortSignal; onPoint?: (p: LinePoint, index: number, total: number) => void } = {},
): Promise<{ line: LinePoint[]; riseAroundSmall: number; riseAroundLarge: number }> {
  const alphas = alphaGrid(line.from, line.to, line.step);
  const points = await lineScan(small, small.getFlat(), large.getFlat(), alphas, [
    { name: "train", data: sets.train },
    { name: "test", data: sets.test },
  ], options);
  const trainLoss = points.map((p) => p.loss.train!);
  // docs/criteria.md 4b: the training-loss rise 0.1 away from each end, averaged over both sides
  const rise = (at: number) => (valueAt(alphas, trainLoss, at - 0.1) + valueAt(alphas, trainLoss, at + 0.1)) / 2 - valueAt(alphas, trainLoss, at);
  return { line: points, riseAroundSmall: rise(0), riseAroundLarge: rise(1) };
}

export function sbLbLineFigure(curve: LinePoint[]): FigureSpec {
  return {
    kind: "line",
    id: "sb-lb-line",
    title: "Loss on the line from the small-batch (alpha = 0) to the large-batch (alpha = 1) solution",
    caption: "Keskar et al.'s Figure 3: the large-batch end sits in a narrower valley.",
    x: "alpha",
    y: "loss (log)",
    logY: true,
    series: [
      { name: "train", points: curve.map((p) => [p.alpha, p.loss.train!] as [number, number]) },
      { name: "test", dashed: true, points: curve.map((p) => [p.alpha, p.loss.test!] as [number, number]) },
    ],
  };
}
