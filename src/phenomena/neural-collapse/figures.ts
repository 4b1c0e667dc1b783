import type { FigureSpec } from "../experiment.js";
import type { CollapseRow, NeuralCollapseConfig, NeuralCollapseDetails } from "./neural-collapse.schema.js";

type Field = keyof CollapseRow;

export function neuralCollapseFigures(details: NeuralCollapseDetails | undefined, config: NeuralCollapseConfig): FigureSpec[] {
  const curve = details?.curve;
  if (!curve || curve.length === 0) return [];
  const start = details.terminalPhaseEpoch;
  const marked = start !== undefined && Number.isFinite(start) ? [{ x: start, label: "100% training accuracy" }] : [];
  // a log y axis cannot show zero (an NC4 of exactly no disagreement): those points are left out
  const series = (field: Field) => curve.filter((r) => r[field] > 0).map((r): [number, number] => [r.epoch, r[field]]);
  const panel = (id: string, title: string, y: string, caption: string, lines: { name: string; field: Field; dashed?: boolean }[]): FigureSpec => ({
    id,
    kind: "line",
    title,
    caption,
    x: "epoch",
    y,
    logX: true,
    logY: true,
    series: lines.map((l) => ({ name: l.name, points: series(l.field), ...(l.dashed ? { dashed: true } : {}) })),
    xRules: marked,
  });
  const figures: FigureSpec[] = [
    panel("nc1", "NC1: within-class variability against epochs", "Tr(Σ_W Σ_B⁺) / C", "The features of each class shrink onto their mean relative to the spread between the means; the terminal phase starts at the dashed line.", [{ name: "NC1", field: "withinClassVariability" }]),
    panel("nc2", "NC2: how far the class means are from a simplex", "spread (log)", "Equinorm: the std of the norms over their mean; equiangularity: the std of the pairwise cosines; max-angle: the mean gap of the cosines to −1/(C−1). All three vanish at a simplex equiangular tight frame.", [
      { name: "means: norm spread", field: "meanNormSpread" },
      { name: "classifiers: norm spread", field: "classifierNormSpread", dashed: true },
      { name: "means: cosine std", field: "meanCosineStd" },
      { name: "classifiers: cosine std", field: "classifierCosineStd", dashed: true },
      { name: "means: gap to −1/(C−1)", field: "cosineGapToSimplex" },
    ]),
    panel("nc3", "NC3: the classifier against the class means", "‖W/‖W‖ − M/‖M‖‖", "The last layer's weights, normalized, approach the normalized centred class means: the classifier becomes the means.", [{ name: "NC3", field: "classifierToMeans" }]),
    panel("nc4", "NC4: disagreement with the nearest class mean", "fraction of training digits", "How often the net decides otherwise than the nearest class mean of the features would.", [{ name: "NC4", field: "nearestMeanMismatch" }]),
    {
      id: "accuracy",
      kind: "line",
      title: "Train and test accuracy against epochs",
      caption: `${config.data.trainSize.toLocaleString("en-US")} training digits; the terminal phase starts at the dashed line.`,
      x: "epoch",
      y: "accuracy (0-1)",
      logX: true,
      series: [
        { name: "train", dashed: true, points: curve.map((r): [number, number] => [r.epoch, r.trainAccuracy]) },
        { name: "test", points: curve.map((r): [number, number] => [r.epoch, r.testAccuracy]) },
      ],
      xRules: marked,
    },
  ];
  const pca = details.meansPca;
  if (pca && pca.length > 0) {
    figures.push({
      id: "means-pca",
      kind: "scatter",
      title: "The class means at the end, on their first two principal components",
      caption: "Each dot is one class's mean feature, centred. A simplex's means are all equally far apart: in any 2-D view they lie at similar distances from the centre.",
      x: "first principal component",
      y: "second principal component",
      series: pca.map((p, c) => ({ name: `class ${c}`, points: [p], radius: 5 })),
    });
  }
  return figures;
}
