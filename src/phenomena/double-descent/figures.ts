import type { FigureSpec } from "../experiment.js";
import { CONDITIONS, type DoubleDescentFeaturesConfig, type DoubleDescentFeaturesDetails } from "./double-descent-features.schema.js";
import { errorKey, trainErrorKey } from "./double-descent-features.claim.js";

const LABEL = { clean: "clean labels", noisy: "20% wrong labels" } as const;

export function doubleDescentFigures(metrics: Record<string, number>, details: DoubleDescentFeaturesDetails | undefined, config: DoubleDescentFeaturesConfig): FigureSpec[] {
  const n = config.data.trainSize;
  const threshold = [{ x: n, label: `N = n = ${n}` }];
  const label = (c: (typeof CONDITIONS)[number]) => (c === "noisy" ? `${Math.round(config.labelNoise * 100)}% wrong labels` : LABEL.clean);
  const figures: FigureSpec[] = [
    {
      id: "test-error",
      kind: "line",
      title: "Test error against the number of random features",
      caption: "Solid: test error; dashed: training error. The readout interpolates (training error 0) from N = n on; the test error peaks there and falls again.",
      x: "random features N (log)",
      y: "error (0-1)",
      logX: true,
      xRules: threshold,
      series: CONDITIONS.flatMap((c) => [
        { name: `test, ${label(c)}`, points: config.features.map((f): [number, number] => [f, metrics[errorKey(c, f)] ?? Number.NaN]) },
        { name: `train, ${label(c)}`, dashed: true, points: config.features.map((f): [number, number] => [f, metrics[trainErrorKey(c, f)] ?? Number.NaN]) },
      ]),
    },
  ];
  const curves = details?.curves;
  if (curves) {
    figures.push(
      {
        id: "test-mse",
        kind: "line",
        title: "Test squared loss against the number of random features",
        caption: "The squared loss the readout minimizes, on the test digits (log scale): the peak at the threshold is far sharper than the error's.",
        x: "random features N (log)",
        y: "test squared loss (log)",
        logX: true,
        logY: true,
        xRules: threshold,
        series: CONDITIONS.map((c) => ({ name: label(c), points: (curves[c] ?? []).map((r): [number, number] => [r.features, r.testMse]) })),
      },
      {
        id: "norm",
        kind: "line",
        title: "Norm of the readout against the number of random features",
        caption: "The minimum-norm solution's norm explodes where the system is just determined; with more features than examples a smaller-norm interpolant exists again: why the second descent happens.",
        x: "random features N (log)",
        y: "readout norm (log)",
        logX: true,
        logY: true,
        xRules: threshold,
        series: CONDITIONS.map((c) => ({ name: label(c), points: (curves[c] ?? []).map((r): [number, number] => [r.features, r.coefficientNorm]) })),
      },
    );
  }
  return figures;
}
