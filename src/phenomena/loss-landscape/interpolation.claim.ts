import type { Claim, Verdict } from "../experiment.js";
import { check, formats, judge } from "../verdict-kit.js";
import type { InterpolationConfig } from "./interpolation.schema.js";

export const interpolationClaim: Claim<InterpolationConfig> = {
  statement:
    "The loss of a neural net is not convex (two solutions are separated by a barrier on the straight line between them), yet on the straight line from initialization to solution the training loss only goes down.",
  citation: "Goodfellow, Vinyals & Saxe 2015, Qualitatively characterizing neural network optimization problems (ICLR)",
  verdict(metrics, config): Verdict {
    const c = config.claim;
    const twin = metrics["sameInitLine.barrier"];
    const missing = "not measured";
    return judge(
      [
        check("init -> solution: largest rise, as a fraction of L(0),", metrics["initLine.maxRiseFraction"], { atMost: c.maxRiseFraction }, { format: formats.fixed(4), formatBound: String, missing }),
        check("seed <-> seed barrier (nats)", metrics["seedLine.barrier"], { atLeast: c.minBarrier }, { missing }),
      ],
      { reported: twin === undefined ? [] : [`same init, other data order: barrier ${fmt(twin, 3)} nats (reported, not judged)`] },
    );
  },
  interpret(metrics) {
    const m = (k: string) => metrics[k];
    return (
      `From the random initialization (training loss ${fmt(m("initLine.trainLossAt0"), 2)}) to the trained net (${fmt(m("initLine.trainLossAt1"), 3)}) the straight line only goes down: its largest rise is ${fmt((m("initLine.maxRiseFraction") ?? Number.NaN) * 100, 2)}% of the starting loss. ` +
      `Yet the straight line between two equally good nets from different seeds climbs a barrier of ${fmt(m("seedLine.barrier"), 3)} nats, and the midpoint's test error is ${fmt((m("seedLine.testErrorAtMid") ?? Number.NaN) * 100, 1)}% against ${fmt((m("seedLine.testErrorAt0") ?? Number.NaN) * 100, 1)}% at the ends: the loss is not convex, but the path SGD needs is easy.` +
      (m("sameInitLine.barrier") !== undefined ? ` Two nets from the same initialization with different data order are connected (barrier ${fmt(m("sameInitLine.barrier"), 3)}).` : "")
    );
  },
  deviations: "One ReLU MLP on an MNIST subset with plain SGD, where the paper also shows maxout, sigmoid, convolutional and recurrent nets; a 1-D slice shows the loss along one line only.",
};

function fmt(v: number | undefined, digits: number): string {
  return v === undefined ? "not measured" : v.toFixed(digits);
}
