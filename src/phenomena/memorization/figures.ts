import type { FigureSpec } from "../experiment.js";
import type { RandomizationDetails } from "./randomization.schema.js";

export function randomizationFigures(metrics: Record<string, number>, details: RandomizationDetails | undefined): FigureSpec[] {
  const curves = details?.curves;
  if (!curves) return [];
  const names = Object.keys(curves);
  return [
    {
      kind: "line",
      id: "randomization-train",
      title: "Training accuracy per epoch: every condition is fitted",
      caption: "Zhang et al.'s Figure 1a at our scale: random labels take longer, but not forever.",
      x: "epoch",
      y: "training accuracy",
      yDomain: [0, 1],
      series: names.map((n) => ({ name: n, points: curves[n]!.map((c) => [c.epoch, c.trainAccuracy] as [number, number]) })),
    },
    {
      kind: "line",
      id: "randomization-test",
      title: "Test accuracy per epoch",
      caption: "Only real labels on real images generalize; with corrupted labels the test accuracy peaks early, then falls.",
      x: "epoch",
      y: "test accuracy",
      yDomain: [0, 1],
      rules: [{ y: 0.1, label: "chance" }],
      series: names.map((n) => ({ name: n, points: curves[n]!.map((c) => [c.epoch, c.testAccuracy] as [number, number]) })),
    },
    {
      kind: "bar",
      id: "randomization-time-to-fit",
      title: "Epochs to reach the fit threshold",
      x: "condition",
      y: "epochs",
      bars: names.map((n) => ({ label: n, value: metrics[`${n}.epochsToFit`] ?? Number.NaN })),
    },
  ];
}
