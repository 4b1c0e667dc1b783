import type { FigureSpec } from "../experiment.js";
import { scaleKey, type GrokkingMnistConfig, type GrokkingMnistDetails } from "./grokking-mnist.schema.js";

export function grokkingMnistFigures(details: GrokkingMnistDetails | undefined, config: GrokkingMnistConfig): FigureSpec[] {
  const curves = details?.curves;
  if (!curves) return [];
  const scales = config.initScales.filter((s) => curves[scaleKey(s)]);
  // step 0 has no place on a log axis: the curves start at the first step
  const series = (s: number, field: "trainAccuracy" | "testAccuracy" | "weightNorm") => curves[scaleKey(s)]!.filter((r) => r.step > 0).map((r): [number, number] => [r.step, r[field]]);
  return [
    {
      id: "accuracy",
      kind: "line",
      title: "Train and test accuracy against steps",
      caption: "Dashed: training accuracy; solid: test accuracy. At the large initialization the training set is fitted long before the test accuracy rises.",
      x: "step",
      y: "accuracy (0-1)",
      logX: true,
      series: scales.flatMap((s) => [
        { name: `init x${s}, train`, dashed: true, points: series(s, "trainAccuracy") },
        { name: `init x${s}, test`, points: series(s, "testAccuracy") },
      ]),
    },
    {
      id: "weight-norm",
      kind: "line",
      title: "Weight norm against steps",
      caption: "The L2 norm of all parameters; weight decay brings the large initialization down towards the norm where the small one trains.",
      x: "step",
      y: "weight norm",
      logX: true,
      series: scales.map((s) => ({ name: `init x${s}`, points: series(s, "weightNorm") })),
    },
  ];
}
