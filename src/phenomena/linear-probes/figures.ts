import type { FigureSpec } from "../experiment.js";
import type { LinearProbesConfig } from "./linear-probes.schema.js";

export function linearProbesFigures(metrics: Record<string, number>, config: LinearProbesConfig): FigureSpec[] {
  const depth = config.model.hidden.length;
  const curve = (which: string, set: "train" | "test"): [number, number][] => [
    [0, metrics[`input.${set}Accuracy`] ?? Number.NaN],
    ...Array.from({ length: depth }, (_, i): [number, number] => [i + 1, metrics[`${which}.layer${i + 1}.${set}Accuracy`] ?? Number.NaN]),
  ];
  if (curve("trained", "test").some(([, y]) => !Number.isFinite(y))) return [];
  return [
    {
      id: "probe-accuracy",
      kind: "line",
      title: "Linear probe accuracy against depth",
      caption: "Depth 0 is the raw pixels. Solid: test accuracy of the probe; dashed: its training accuracy.",
      x: "depth (hidden layer; 0 = input)",
      y: "probe accuracy (0-1)",
      series: (["trained", "untrained"] as const).flatMap((which) =>
        (["test", "train"] as const).map((set) => ({ name: `${which} net, ${set}`, dashed: set === "train", points: curve(which, set) })),
      ),
      rules: Number.isFinite(metrics["net.testAccuracy"]) ? [{ y: metrics["net.testAccuracy"]!, label: "the trained net itself" }] : [],
    },
  ];
}
