import { parseInit } from "../../models/init.js";
import type { Claim, Verdict } from "../experiment.js";
import type { InitScaleConfig } from "./schema.js";

interface Check {
  label: string;
  measured: number | undefined;
  threshold: string;
  pass: boolean;
}

/** What the criteria expect of an initializer in the deep ReLU net: learn, stall, or blow up. */
export function expectedFate(init: string): "learns" | "stalls" | "explodes" | "unjudged" {
  const spec = parseInit(init);
  if (spec.kind === "he") return (spec.gain ?? 1) === 1 ? "learns" : (spec.gain ?? 1) >= 2 ? "explodes" : "unjudged";
  if (spec.kind === "xavier" && (spec.gain ?? 1) === 1) return "stalls";
  if (spec.kind === "normal" && spec.sigma <= 0.02) return "stalls";
  return "unjudged";
}

export const initScaleClaim: Claim<InitScaleConfig> = {
  statement:
    "The scale of the initial weights decides whether a deep network learns at all: a 30-layer ReLU net trains with He's scale and stalls with a small or Xavier scale, and sigmoid nets with the old standard init saturate their top layer.",
  citation: "He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers (ICCV); Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward neural networks (AISTATS)",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const checks: Check[] = [];
    for (const init of config.deep.inits) {
      const acc = metrics[`deep.${init}.testAccuracy`];
      const diverged = metrics[`deep.${init}.diverged`] === 1;
      switch (expectedFate(init)) {
        case "learns":
          checks.push({ label: `${init} test accuracy`, measured: acc, threshold: `>= ${c.heAccuracy}`, pass: acc !== undefined && acc >= c.heAccuracy });
          break;
        case "stalls":
          checks.push({ label: `${init} test accuracy`, measured: acc, threshold: `<= ${c.stuckAccuracy}`, pass: acc !== undefined && acc <= c.stuckAccuracy });
          break;
        case "explodes":
          checks.push({ label: `${init} test accuracy${diverged ? " (diverged)" : ""}`, measured: acc, threshold: `diverged or <= ${c.stuckAccuracy}`, pass: diverged || (acc !== undefined && acc <= c.stuckAccuracy) });
          break;
        case "unjudged":
          break;
      }
    }
    if (config.saturation.enabled) {
      for (const init of config.saturation.inits) {
        const spec = parseInit(init);
        const top = metrics[`saturation.${init}.topMin`];
        if (spec.kind === "standard" && (spec.gain ?? 1) === 1)
          checks.push({ label: `sigmoid top layer, ${init} init: lowest mean activation in the window`, measured: top, threshold: `<= ${c.saturatedTop}`, pass: top !== undefined && top <= c.saturatedTop });
        if (spec.kind === "xavier" && (spec.gain ?? 1) === 1)
          checks.push({ label: `sigmoid top layer, ${init} init: lowest mean activation in the window`, measured: top, threshold: `>= ${c.healthyTop}`, pass: top !== undefined && top >= c.healthyTop });
      }
    }
    const primary = checks.find((k) => k.label.startsWith("he test")) ?? checks[0];
    return {
      reproduced: checks.length > 0 && checks.every((k) => k.pass),
      measured: primary?.measured ?? Number.NaN,
      threshold: c.heAccuracy,
      note: checks.map((k) => `${k.label} ${k.measured === undefined ? "not measured" : k.measured.toFixed(3)} (needs ${k.threshold}) ${k.pass ? "ok" : "FAIL"}`).join("; "),
    };
  },
};
