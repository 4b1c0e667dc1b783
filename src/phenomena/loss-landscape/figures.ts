import type { FigureSpec } from "../experiment.js";
import type { LinePoint } from "../../analysis/landscape/line.js";
import type { InterpolationDetails } from "./interpolation.schema.js";

const LABELS: Record<string, string> = { initLine: "init -> solution", seedLine: "seed a <-> seed b", sameInitLine: "same init, other order" };

export function interpolationFigures(details: InterpolationDetails | undefined): FigureSpec[] {
  const curves = details?.curves;
  if (!curves) return [];
  const series = (pick: (p: LinePoint) => number) =>
    Object.entries(curves).map(([name, points]) => ({ name: LABELS[name] ?? name, points: points.map((p) => [p.alpha, pick(p)] as [number, number]) }));
  return [
    {
      kind: "line",
      id: "interpolation-train-loss",
      title: "Training loss on straight lines through parameter space",
      caption: "alpha = 0 is the start of each line, 1 its end; beyond [0, 1] the line is extended.",
      x: "alpha",
      y: "training loss (nats)",
      logY: true,
      series: series((p) => p.loss.train!),
    },
    {
      kind: "line",
      id: "interpolation-test-error",
      title: "Test error along the same lines",
      x: "alpha",
      y: "test error",
      yDomain: [0, 1],
      series: series((p) => 1 - p.accuracy.test!),
    },
  ];
}
