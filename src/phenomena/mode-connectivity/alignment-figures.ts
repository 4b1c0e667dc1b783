import type { FigureSpec } from "../experiment.js";
import { alignKey, type PermutationAlignmentConfig, type PermutationAlignmentDetails } from "./permutation-alignment.schema.js";

export function alignmentFigures(metrics: Record<string, number>, details: PermutationAlignmentDetails | undefined, config: PermutationAlignmentConfig): FigureSpec[] {
  const widest = String(config.widths[config.widths.length - 1]);
  const figures: FigureSpec[] = [
    {
      id: "barrier-vs-width",
      kind: "line",
      title: "Linear barrier against width, before and after weight matching",
      caption: "Training-loss barrier on the straight line between two nets of each width (nats).",
      x: "hidden width w (log)",
      y: "barrier (nats)",
      logX: true,
      series: [
        { name: "as trained", points: config.widths.map((w): [number, number] => [w, metrics[alignKey("barrierBefore", w)] ?? Number.NaN]) },
        { name: "after weight matching", points: config.widths.map((w): [number, number] => [w, metrics[alignKey("barrierAfter", w)] ?? Number.NaN]) },
      ],
    },
  ];
  const line = details?.lines?.[widest];
  if (line) {
    figures.push({
      id: "line-widest",
      kind: "line",
      title: `Training loss along the straight line, width ${widest}`,
      caption: "alpha = 0 is the first net, alpha = 1 the second, as trained (and after its hidden units are permuted to match).",
      x: "alpha",
      y: "training loss (nats)",
      series: [
        { name: "as trained", points: line.map((r): [number, number] => [r.alpha, r.lossBefore]) },
        { name: "after weight matching", points: line.map((r): [number, number] => [r.alpha, r.lossAfter]) },
      ],
    });
  }
  return figures;
}
