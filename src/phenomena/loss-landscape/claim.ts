import type { Claim, Verdict } from "../experiment.js";
import type { InterpolationConfig } from "./schema.js";

export const interpolationClaim: Claim<InterpolationConfig> = {
  statement:
    "The loss of a neural net is not convex (two solutions are separated by a barrier on the straight line between them), yet on the straight line from initialization to solution the training loss only goes down.",
  citation: "Goodfellow, Vinyals & Saxe 2015, Qualitatively characterizing neural network optimization problems (ICLR)",
  verdict(metrics, config): Verdict {
    const rise = metrics["initLine.maxRiseFraction"];
    const gap = metrics["seedLine.barrier"];
    const c = config.claim;
    const monotone = rise !== undefined && rise <= c.maxRiseFraction;
    const nonConvex = gap !== undefined && gap >= c.minBarrier;
    const parts = [
      `init -> solution: largest rise ${fmt(rise, 4)} of L(0) (needs <= ${c.maxRiseFraction}) ${monotone ? "ok" : "FAIL"}`,
      `seed <-> seed barrier ${fmt(gap, 3)} nats (needs >= ${c.minBarrier}) ${nonConvex ? "ok" : "FAIL"}`,
    ];
    const twin = metrics["sameInitLine.barrier"];
    if (twin !== undefined) parts.push(`same init, other data order: barrier ${fmt(twin, 3)} nats (reported, not judged)`);
    return { reproduced: monotone && nonConvex, measured: rise ?? Number.NaN, threshold: c.maxRiseFraction, note: parts.join("; ") };
  },
};

function fmt(v: number | undefined, digits: number): string {
  return v === undefined ? "not measured" : v.toFixed(digits);
}
