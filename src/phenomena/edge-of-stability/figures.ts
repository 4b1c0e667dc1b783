import type { FigureSpec } from "../experiment.js";
import type { EdgeOfStabilityConfig } from "./edge-of-stability.schema.js";
import { etaKey, type EdgeOfStabilityDetails } from "./trace-summary.js";

/** At most `max` points of a long per-step series: every k-th, and the last. */
function thin(values: number[], max: number): [number, number][] {
  const stride = Math.max(1, Math.ceil(values.length / max));
  const out: [number, number][] = [];
  for (let t = 0; t < values.length; t += stride) out.push([t, values[t]!]);
  if (values.length && out.at(-1)![0] !== values.length - 1) out.push([values.length - 1, values.at(-1)!]);
  return out;
}

export function edgeOfStabilityFigures(details: EdgeOfStabilityDetails | undefined, config: EdgeOfStabilityConfig): FigureSpec[] {
  const traces = details?.traces;
  if (!traces) return [];
  const etas = [...config.smallEtas, ...config.etas].filter((eta) => traces[etaKey(eta)]);
  return [
    {
      id: "sharpness",
      kind: "line",
      title: "Sharpness (top Hessian eigenvalue) against steps, with 2/eta for each step size",
      caption: "Each curve rises until it meets its own dashed 2/eta line and then stays there; the smallest step size's edge is out of reach.",
      x: "step",
      y: "top eigenvalue of the training loss's Hessian",
      series: etas.map((eta) => ({ name: `eta ${eta}`, points: traces[etaKey(eta)]!.sharpness.map((p): [number, number] => [p.step, p.eigenvalue]) })),
      rules: etas.map((eta) => ({ y: 2 / eta, label: `2/eta, eta ${eta}` })),
    },
    {
      id: "loss",
      kind: "line",
      title: "Training loss against steps",
      caption: "Squared error on the training digits; at the edge of stability it keeps falling over long horizons, with short rises.",
      x: "step",
      y: "training loss",
      logY: true,
      series: etas.map((eta) => ({ name: `eta ${eta}`, points: thin(traces[etaKey(eta)]!.loss, 2000) })),
    },
  ];
}
