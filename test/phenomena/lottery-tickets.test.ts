import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { initTestBackend } from "../backend.js";

describe("rewinding", () => {
  it("rewound to iteration 0 it is the lottery ticket's own chain: the same masks, orders and accuracies, round by round", async () => {
    const backend = await initTestBackend();
    const dir = mkdtempSync(join(tmpdir(), "quirklab-rewind-"));
    const data = new NodeDataSource();
    const small = ["data.trainSize=700", "data.testSize=300", "validationSize=200", "rounds=3", "evalEvery=10", "train.epochs=1"];
    const ticket = await runExperiment({ experiment: "lottery-ticket", preset: "quick", sets: small, seed: 4, runsDir: dir, backend, data, report: false });
    const rewound = await runExperiment({ experiment: "rewinding", preset: "quick", sets: [...small, "rewindTo=[0,5]"], seed: 4, runsDir: dir, backend, data, report: false });
    expect(rewound.status).toBe("complete");
    for (let round = 0; round <= 3; round++) {
      expect(rewound.metrics[`remaining@${round}`]).toBe(ticket.metrics[`remaining@${round}`]);
      expect(rewound.metrics[`rewind0.testAccuracy@${round}`]).toBe(ticket.metrics[`ticket.testAccuracy@${round}`]);
      expect(rewound.metrics[`rewind0.earlyStop@${round}`]).toBe(ticket.metrics[`ticket.earlyStop@${round}`]);
    }
    // a later rewinding point is a different chain after the dense round
    expect(rewound.metrics["rewind5.testAccuracy@0"]).toBe(rewound.metrics["rewind0.testAccuracy@0"]);
    expect([1, 2, 3].some((r) => rewound.metrics[`rewind5.testAccuracy@${r}`] !== rewound.metrics[`rewind0.testAccuracy@${r}`])).toBe(true);
    // an iteration past the dense run's end is refused with the range
    await expect(runExperiment({ experiment: "rewinding", preset: "quick", sets: [...small, "rewindTo=[0,99]"], seed: 4, runsDir: dir, backend, data, report: false })).rejects.toThrow(/after the dense run's last \(9\): 99/);
  }, 120_000);
});
