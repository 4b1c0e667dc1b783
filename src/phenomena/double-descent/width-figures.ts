import type { FigureSpec } from "../experiment.js";
import { widthKey, type DoubleDescentWidthConfig, type DoubleDescentWidthDetails } from "./double-descent-width.schema.js";

export function widthFigures(metrics: Record<string, number>, details: DoubleDescentWidthDetails | undefined, config: DoubleDescentWidthConfig): FigureSpec[] {
  const classes = 10;
  const threshold = config.data.trainSize * classes;
  const at = (what: "testError" | "trainError", w: number): [number, number] => [metrics[widthKey("parameters", w)] ?? Number.NaN, metrics[widthKey(what, w)] ?? Number.NaN];
  const figures: FigureSpec[] = [
    {
      id: "model-wise",
      kind: "line",
      title: "Test error against the number of parameters (one hidden layer, noisy labels)",
      caption: `Each point a width from ${config.widths[0]} to ${config.widths[config.widths.length - 1]}; dashed: error on the noisy training labels. The dashed rule is n x K = ${threshold} parameters, Belkin et al.'s threshold for K outputs.`,
      x: "parameters (log)",
      y: "error (0-1)",
      logX: true,
      xRules: [{ x: threshold, label: `n K = ${threshold}` }],
      series: [
        { name: "test", points: config.widths.map((w) => at("testError", w)) },
        { name: "train (noisy labels)", dashed: true, points: config.widths.map((w) => at("trainError", w)) },
      ],
    },
  ];
  const epochs = details?.epochs;
  if (epochs) {
    const peak = metrics.peakWidth;
    const shown = [...new Set([peak, ...config.widths.slice(-2)].filter((w): w is number => w !== undefined && Number.isFinite(w)))];
    figures.push({
      id: "epoch-wise",
      kind: "line",
      title: "Test error against epochs (epoch-wise double descent)",
      caption: "The widest nets and the width of the model-wise peak; dashed: training error on the noisy labels.",
      x: "epoch (log)",
      y: "error (0-1)",
      logX: true,
      series: shown.flatMap((w) => [
        { name: `width ${w}: test`, points: (epochs[String(w)] ?? []).map((r): [number, number] => [r.epoch, r.testError]) },
        { name: `width ${w}: train`, dashed: true, points: (epochs[String(w)] ?? []).map((r): [number, number] => [r.epoch, r.trainError]) },
      ]),
    });
  }
  return figures;
}
