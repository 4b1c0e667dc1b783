import type { FigureSpec } from "../experiment.js";
import type { CurvePoint } from "./curves.js";
import { scaleKey, type GrokkingMnistConfig, type GrokkingMnistDetails } from "./grokking-mnist.schema.js";
import { decayKey, type GrokkingModularConfig, type GrokkingModularDetails } from "./grokking-modular.schema.js";

interface CurveLine {
  name: string;
  rows: readonly (CurvePoint & { step: number })[];
}

/** Train and test accuracy, and the weight norm, against steps: one line (two for accuracy) per run. */
function grokkingFigures(lines: readonly CurveLine[], captions: { accuracy: string; weightNorm: string }): FigureSpec[] {
  // step 0 has no place on a log axis: the curves start at the first step
  const series = (line: CurveLine, field: "trainAccuracy" | "testAccuracy" | "weightNorm") => line.rows.filter((r) => r.step > 0).map((r): [number, number] => [r.step, r[field]]);
  return [
    {
      id: "accuracy",
      kind: "line",
      title: "Train and test accuracy against steps",
      caption: `Dashed: training accuracy; solid: test accuracy. ${captions.accuracy}`,
      x: "step",
      y: "accuracy (0-1)",
      logX: true,
      series: lines.flatMap((line) => [
        { name: `${line.name}, train`, dashed: true, points: series(line, "trainAccuracy") },
        { name: `${line.name}, test`, points: series(line, "testAccuracy") },
      ]),
    },
    {
      id: "weight-norm",
      kind: "line",
      title: "Weight norm against steps",
      caption: `The L2 norm of all parameters; ${captions.weightNorm}`,
      x: "step",
      y: "weight norm",
      logX: true,
      series: lines.map((line) => ({ name: line.name, points: series(line, "weightNorm") })),
    },
  ];
}

export function grokkingMnistFigures(details: GrokkingMnistDetails | undefined, config: GrokkingMnistConfig): FigureSpec[] {
  const curves = details?.curves;
  if (!curves) return [];
  const lines = config.initScales.filter((s) => curves[scaleKey(s)]).map((s) => ({ name: `init x${s}`, rows: curves[scaleKey(s)]! }));
  return grokkingFigures(lines, {
    accuracy: "At the large initialization the training set is fitted long before the test accuracy rises.",
    weightNorm: "weight decay brings the large initialization down towards the norm where the small one trains.",
  });
}

export function grokkingModularFigures(details: GrokkingModularDetails | undefined, config: GrokkingModularConfig): FigureSpec[] {
  const curves = details?.curves;
  if (!curves) return [];
  const lines = config.weightDecays.filter((wd) => curves[decayKey(wd)]).map((wd) => ({ name: `weight decay ${wd}`, rows: curves[decayKey(wd)]! }));
  return grokkingFigures(lines, {
    accuracy: "With weight decay the held-out pairs of the table are predicted long after the training pairs are fitted; without it, they may never be.",
    weightNorm: "both grow from the initialization, but weight decay levels the norm off while the memorizer's without it keeps growing.",
  });
}
