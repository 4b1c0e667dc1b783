import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { SplitTaskConfig } from "./split-task-incremental.schema.js";

export const splitTaskClaim: Claim<SplitTaskConfig> = {
  statement:
    "Give each task its own output head and tell the network which task it faces, and the same sequence of digit pairs is hardly forgotten: EWC keeps nearly everything, and even fine-tuning keeps most of the earlier pairs — the scenario, not only the method, decides.",
  citation: "van de Ven & Tolias 2019, Three scenarios for continual learning, Table 2 (Task-IL)",
  verdict(metrics, config) {
    const c = config.claim;
    const pct = { format: formats.percent(1), formatBound: formats.percent(1), missing: "not measured" };
    const checks = [
      check("EWC: final average accuracy", metrics["ewc.acc"], { atLeast: c.ewcAcc }, pct),
      check("fine-tuning: final average accuracy", metrics["naive.acc"], { atLeast: c.naiveAcc }, pct),
    ];
    return judge(checks);
  },
  interpret(metrics) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    return (
      `With a head per pair and the pair known at test time, fine-tuning ends at ${pct(metrics["naive.acc"])} on average (earlier pairs ${pct(metrics["naive.oldTasks"])}), ` +
      `EWC at ${pct(metrics["ewc.acc"])}, LwF at ${pct(metrics["lwf.acc"])}. Run split-class-incremental for the same pairs with one head: there fine-tuning keeps 0% of the earlier pairs.`
    );
  },
  deviations: "van de Ven & Tolias used a 784-400-400 MLP trained with Adam for 2,000 iterations per task; here the class-incremental experiment's 784-256-256 net, plain SGD, 5 epochs per pair, the 10 output units split into five 2-unit heads.",
};
