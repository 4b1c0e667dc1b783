import { check, judge, type Check } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { SplitConfig } from "./split-class-incremental.schema.js";

export const splitClaim: Claim<SplitConfig> = {
  statement:
    "Which continual-learning method 'works' depends on the scenario: learning digit pairs one after another with one output head, fine-tuning forgets all but the last pair, EWC barely helps, and replaying a small memory of old examples does.",
  citation: "van de Ven & Tolias 2019, Three scenarios for continual learning; Kirkpatrick et al. 2017 (EWC); Chaudhry et al. 2019 (experience replay)",
  verdict(metrics, config) {
    const c = config.claim;
    const has = (s: string) => config.strategies.includes(s as never);
    const checks: Check[] = [];
    if (has("naive")) checks.push(check("fine-tuning: final accuracy on the earlier pairs", metrics["naive.oldTasks"], { atMost: c.naiveOld }));
    if (has("ewc")) checks.push(check("EWC: final average accuracy", metrics["ewc.acc"], { atMost: c.ewcAcc }));
    if (has("replay")) checks.push(check("replay: final average accuracy", metrics["replay.acc"], { atLeast: c.replayAcc }));
    const primary = checks.find((k) => k.label.startsWith("replay")) ?? checks[0];
    return judge(checks, primary ? { primary } : {});
  },
  interpret(metrics) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    return (
      `After the fifth pair, fine-tuning recognizes ${pct(metrics["naive.oldTasks"])} of the earlier digits (the head now only predicts the last two classes). ` +
      `EWC ends at ${pct(metrics["ewc.acc"])} on average, replay of a small memory at ${pct(metrics["replay.acc"])}, joint training at ${pct(metrics["joint.acc"])}. ` +
      "EWC anchors the weights but cannot teach the single head to tell a 1 from a 9 when they were never seen together; replayed examples can."
    );
  },
  deviations: "A 784-256-256-10 MLP on 9k MNIST digits, 5 epochs of plain SGD per pair; lambda chosen on held-out training digits of all pairs.",
};
