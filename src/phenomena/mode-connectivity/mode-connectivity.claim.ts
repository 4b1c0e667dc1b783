import { checkThat, check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { ModeConnectivityConfig } from "./mode-connectivity.schema.js";

export const modeConnectivityClaim: Claim<ModeConnectivityConfig> = {
  statement:
    "Two networks trained from different random starts are separated by a barrier on the straight line between them, yet joined by a simple curve — a quadratic Bézier with one trained control point — along which the test error stays as low as at the ends.",
  citation: "Garipov, Izmailov, Podoprikhin, Vetrov & Wilson 2018, Loss Surfaces, Mode Connectivity, and Fast Ensembling of DNNs (NeurIPS); Draxler, Veschgini, Salmhofer & Hamprecht 2018, Essentially No Barriers in Neural Network Energy Landscape (ICML)",
  verdict(metrics, config) {
    const c = config.claim;
    const lossBarrier = metrics.lineLossBarrier;
    const errorBarrier = metrics.lineErrorBarrier;
    const pass = (lossBarrier ?? Number.NaN) >= c.minLineLossBarrier || (errorBarrier ?? Number.NaN) >= c.minLineErrorBarrier;
    return judge([
      checkThat(
        `straight line: training-loss barrier in nats (test-error barrier ${errorBarrier === undefined ? "-" : formats.points(1)(errorBarrier)})`,
        lossBarrier,
        `>= ${c.minLineLossBarrier} nats, or a test-error barrier >= ${c.minLineErrorBarrier * 100} pp`,
        pass,
      ),
      check(
        `Bézier curve: its largest test error minus the worse endpoint's (${formats.percent(2)(metrics.curveMaxTestError ?? Number.NaN)} vs ${formats.percent(2)(metrics.endpointTestError ?? Number.NaN)})`,
        metrics.curveExcessError,
        { atMost: c.maxCurveExcessError },
        { format: formats.points(2), formatBound: formats.points(2) },
      ),
    ], { threshold: c.minLineLossBarrier, reported: [`test error at the middle: line ${formats.percent(1)(metrics.lineMidTestError ?? Number.NaN)}, curve ${formats.percent(1)(metrics.curveMidTestError ?? Number.NaN)}`] });
  },
  interpret(metrics) {
    const pct = (v: number | undefined) => formats.percent(2)(v ?? Number.NaN);
    return (
      `The two nets test at ${pct(metrics.endpointTestError)} (the worse one). Halfway along the straight line between them the test error is ${pct(metrics.lineMidTestError)} and the training loss rises ${(metrics.lineLossBarrier ?? Number.NaN).toFixed(3)} nats above the line joining the ends; ` +
      `halfway along the trained Bézier curve it is ${pct(metrics.curveMidTestError)}, and nowhere on the curve above ${pct(metrics.curveMaxTestError)}: the two solutions lie in one connected valley.`
    );
  },
  deviations:
    "Garipov et al. trained the curve with SGD for as many epochs as the endpoints, on CIFAR and ImageNet networks; we train the control point with Adam for 5 epochs (docs/criteria.md §8.4) on 8,000 MNIST digits between two 784-100-10 MLPs, and measure on whole sets at 21 points of t.",
};
