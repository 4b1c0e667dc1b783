/** What the adversarial experiments draw (as data; report/ and the lab render it). */
import type { FigureSpec } from "../experiment.js";
import type { FgsmSweepDetails } from "./fgsm-sweep.schema.js";
import type { TransferDetails } from "./transfer-matrix.schema.js";

export function fgsmSweepFigures(details: FgsmSweepDetails | undefined): FigureSpec[] {
  const rows = details?.sweep ?? [];
  const models = [...new Set(rows.map((r) => r.model))];
  const series = (what: "error" | "noiseError", suffix: string, dashed: boolean) =>
    models.map((m) => ({ name: `${m}${suffix}`, dashed, points: rows.filter((r) => r.model === m).map((r) => [r.epsilon, r[what]] as [number, number]) }));
  return [
    {
      kind: "line",
      id: "fgsm-error",
      title: "Test error under FGSM and under random sign noise of the same size",
      caption: "Solid: FGSM; dashed: random +-epsilon noise. The gap between them is the point: the direction matters, not the size.",
      x: "epsilon (L-infinity, pixels in [0, 1])",
      y: "test error",
      yDomain: [0, 1],
      series: [...series("error", " FGSM", false), ...series("noiseError", " noise", true)],
    },
  ];
}

export function transferFigures(details: TransferDetails | undefined): FigureSpec[] {
  if (!details) return [];
  const { matrix, names } = details;
  return [
    {
      kind: "heatmap",
      id: "transfer-matrix",
      title: "Error of FGSM examples crafted on the row model, evaluated on the column model",
      caption: "Off-diagonal cells are transfer: examples made for one net fool another it never saw.",
      x: "evaluated on",
      y: "crafted on",
      columns: names,
      rows: names,
      values: matrix,
      domain: [0, 1],
    },
  ];
}

export function adversarialTrainingFigures(metrics: Record<string, number>): FigureSpec[] {
  const bars = (["plain", "adversarial"] as const).flatMap((model) =>
    (["clean", "fgsm", "pgd"] as const).map((what) => ({ label: `${model} ${what}`, group: model, value: metrics[`${model}.${what}Error`] ?? Number.NaN })),
  );
  return [
    {
      kind: "bar",
      id: "adversarial-training",
      title: "Clean, FGSM and PGD error before and after FGSM adversarial training",
      caption: "FGSM training lowers FGSM error; PGD, a stronger attack, shows how much robustness is real.",
      x: "model and attack",
      y: "test error",
      bars,
    },
  ];
}
