import type { FigureSpec } from "../experiment.js";
import type { ModeConnectivityConfig, ModeConnectivityDetails } from "./mode-connectivity.schema.js";

export function modeConnectivityFigures(details: ModeConnectivityDetails | undefined, _config: ModeConnectivityConfig): FigureSpec[] {
  const paths = details?.paths;
  if (!paths) return [];
  const series = (what: "loss" | "error") =>
    (["line", "curve"] as const).flatMap((path) =>
      (["train", "test"] as const).map((set) => ({
        name: `${path === "line" ? "straight line" : "Bézier curve"}, ${set}`,
        dashed: set === "train",
        points: (paths[path] ?? []).map((p): [number, number] => [p.alpha, what === "loss" ? (p.loss[set] ?? Number.NaN) : 1 - (p.accuracy[set] ?? Number.NaN)]),
      })),
    );
  return [
    {
      id: "error",
      kind: "line",
      title: "Error along the straight line and along the trained curve",
      caption: "t = 0 and t = 1 are the two trained networks. Solid: test error; dashed: training error.",
      x: "t (position between the two networks)",
      y: "error (0-1)",
      series: series("error"),
    },
    {
      id: "loss",
      kind: "line",
      title: "Loss along the straight line and along the trained curve",
      caption: "Cross-entropy; dashed: on the training digits the curve was trained on.",
      x: "t (position between the two networks)",
      y: "loss (nats)",
      series: series("loss"),
    },
  ];
}
