import type { FigureSpec } from "../experiment.js";
import type { InitScaleDetails } from "./init-scale.schema.js";

export function initScaleFigures(details: InitScaleDetails | undefined): FigureSpec[] {
  const deep = details?.deep ?? [];
  const saturation = details?.saturation;
  const figures: FigureSpec[] = [
    {
      kind: "line",
      id: "init-activation-sd",
      title: "Activation spread across depth at initialization",
      caption: "He keeps the spread roughly constant; Xavier loses a factor ~1/sqrt(2) per ReLU layer; small weights vanish; 3x He explodes.",
      x: "hidden layer",
      y: "sd of activations (log)",
      logY: true,
      series: deep.map((r) => ({ name: r.init, points: r.activationSd.map((v, i) => [i + 1, v] as [number, number]) })),
    },
    {
      kind: "line",
      id: "init-gradient-norm",
      title: "Gradient norm of each weight matrix at initialization",
      x: "layer",
      y: "||dL/dW|| (log)",
      logY: true,
      series: deep.map((r) => ({ name: r.init, points: r.gradientNorm.map((v, i) => [i + 1, v] as [number, number]) })),
    },
  ];
  if (saturation) {
    figures.push({
      kind: "line",
      id: "init-sigmoid-saturation",
      title: "Mean sigmoid output of the bottom and top hidden layers during training",
      caption: "Glorot & Bengio's Figure 2: with the standard init the top layer is driven to 0 and stays there.",
      x: "update",
      y: "mean activation",
      yDomain: [0, 1],
      series: Object.entries(saturation).flatMap(([init, trace]) => [
        { name: `${init}: top layer`, points: trace.map((t) => [t.step, t.means.at(-1)!] as [number, number]) },
        { name: `${init}: bottom layer`, dashed: true, points: trace.map((t) => [t.step, t.means[0]!] as [number, number]) },
      ]),
    });
  }
  return figures;
}
