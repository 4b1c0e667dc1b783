/** The figures of an inspection, drawn from its checked details: the model's, and the reference's dashed beside them. */
import { z } from "zod";
import type { FigureSpec, LineFigure } from "../experiment.js";
import type { InspectConfig } from "./inspect.schema.js";
import type { ModelDetails } from "./measure.js";

const nullableNumber = z.number().nullable();
const modelDetails = z.looseObject({
  confusion: z.array(z.array(z.number())),
  reliability: z.array(z.looseObject({ lower: z.number(), upper: z.number(), count: z.number(), confidence: nullableNumber, accuracy: nullableNumber })),
  robustness: z.looseObject({ epsilons: z.array(z.number()), fgsm: z.array(z.number()), pgd: z.array(z.number()), noise: z.array(z.number()) }),
  line: z.array(z.looseObject({ alpha: z.number(), loss: z.number(), accuracy: z.number() })),
  surface: z.looseObject({ axis: z.array(z.number()), loss: z.array(z.array(z.number())) }),
  pruning: z.array(z.looseObject({ fraction: z.number(), accuracy: z.number() })),
  purityLayer: z.string().nullable(),
});

export const inspectDetails = z.looseObject({
  model: modelDetails,
  reference: modelDetails.optional(),
  referenceKind: z.enum(["mlp", "cnn"]).optional(),
});

type Details = z.output<typeof inspectDetails>;

function withReference(
  own: ModelDetails,
  reference: ModelDetails | undefined,
  kind: string | undefined,
  points: (d: ModelDetails) => { name: string; points: [number, number][] }[],
): LineFigure["series"] {
  const series: LineFigure["series"] = points(own).map((s) => ({ name: `your model: ${s.name}`, points: s.points }));
  if (reference) for (const s of points(reference)) series.push({ name: `baseline ${kind}: ${s.name}`, points: s.points, dashed: true });
  return series;
}

export function inspectFigures(result: { metrics: Record<string, number>; details?: Details }, config: InspectConfig): FigureSpec[] {
  const d = result.details;
  if (!d) return [];
  const own = d.model as ModelDetails;
  const reference = d.reference as ModelDetails | undefined;
  const kind = d.referenceKind;
  const classes = own.confusion.map((_, i) => String(i));
  const figures: FigureSpec[] = [
    {
      kind: "heatmap",
      id: "confusion",
      title: "Confusion matrix",
      caption: "Rows: the true class; columns: the predicted one; counts. Off the diagonal: what the model mistakes for what.",
      x: "predicted class",
      y: "true class",
      columns: classes,
      rows: classes,
      values: own.confusion,
    },
    {
      kind: "line",
      id: "reliability",
      title: "Reliability diagram (Guo et al. 2017)",
      caption: `Accuracy against mean confidence in ${config.calibration.bins} equal-width confidence bins (empty bins left out). On the diagonal a confidence of p means right a fraction p of the time; below it, the model is overconfident.`,
      x: "mean confidence in the bin",
      y: "accuracy in the bin",
      yDomain: [0, 1],
      series: [
        ...withReference(own, reference, kind, (m) => [
          { name: "accuracy", points: m.reliability.filter((b) => b.count > 0 && b.confidence !== null && b.accuracy !== null).map((b) => [b.confidence!, b.accuracy!] as [number, number]) },
        ]),
        { name: "perfect calibration", points: [[0, 0], [1, 1]], dashed: true },
      ],
    },
    {
      kind: "line",
      id: "robustness",
      title: "Error under attack (L-infinity) and under random noise of the same size",
      caption: `FGSM (one step) and PGD (${config.robustness.pgdSteps} steps, random start) on the first ${Math.min(config.robustness.examples, result.metrics.examples ?? Infinity)} examples; the noise control adds random +-epsilon signs per pixel. Pixels live in [0, 1].`,
      x: "epsilon",
      y: "error",
      yDomain: [0, 1],
      series: withReference(own, reference, kind, (m) => [
        { name: "FGSM", points: m.robustness.epsilons.map((e, k) => [e, m.robustness.fgsm[k]!] as [number, number]) },
        { name: "PGD", points: m.robustness.epsilons.map((e, k) => [e, m.robustness.pgd[k]!] as [number, number]) },
        { name: "random signs", points: m.robustness.epsilons.map((e, k) => [e, m.robustness.noise[k]!] as [number, number]) },
      ]),
    },
    {
      kind: "line",
      id: "loss-slice",
      title: "The loss along a filter-normalized random direction (Li et al. 2018)",
      caption: "Alpha 0 is the model itself; at alpha 1 every filter has moved by its own norm. A flat, wide valley is what 'flat minimum' means on such a plot.",
      x: "alpha",
      y: "loss",
      series: withReference(own, reference, kind, (m) => [{ name: "loss", points: m.line.map((p) => [p.alpha, p.loss] as [number, number]) }]),
    },
    {
      kind: "line",
      id: "pruning",
      title: "Accuracy after magnitude pruning, without retraining",
      caption: "The smallest-magnitude kernel weights across all layers set to zero (biases kept), nothing retrained.",
      x: "fraction of kernel weights pruned",
      y: "accuracy",
      yDomain: [0, 1],
      series: withReference(own, reference, kind, (m) => [{ name: "accuracy", points: m.pruning.map((p) => [p.fraction, p.accuracy] as [number, number]) }]),
    },
  ];
  if (own.surface.axis.length) {
    const labels = own.surface.axis.map((a) => a.toFixed(2));
    figures.push({
      kind: "heatmap",
      id: "loss-surface",
      title: "The loss on a filter-normalized 2-D slice around the model",
      caption: "Two random filter-normalized directions; the model sits in the middle cell. Darker = higher loss.",
      x: "alpha (direction 1)",
      y: "beta (direction 2)",
      columns: labels,
      rows: labels,
      values: own.surface.loss,
    });
  }
  const purity = result.metrics["units.purity"];
  if (purity !== undefined && Number.isFinite(purity)) {
    figures.push({
      kind: "bar",
      id: "purity",
      title: `Label purity of the top ${config.units.topK} examples: units vs random directions (${own.purityLayer})`,
      caption: "Purity = share of the top examples carrying their most common label (Szegedy et al. 2014's comparison, measured).",
      x: "directions",
      y: "mean top-k label purity",
      bars: [
        { label: "units", value: purity, group: "your model" },
        { label: "random directions", value: result.metrics["units.purityRandom"] ?? Number.NaN, group: "your model" },
        ...(reference && Number.isFinite(result.metrics["reference.units.purity"] ?? Number.NaN)
          ? [
              { label: "units", value: result.metrics["reference.units.purity"]!, group: `baseline ${kind}` },
              { label: "random directions", value: result.metrics["reference.units.purityRandom"]!, group: `baseline ${kind}` },
            ]
          : []),
      ],
    });
  }
  return figures;
}
