import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/cli/format.js";
import type { RunSummary } from "../../src/store/summary.js";

describe("the terminal summary", () => {
  it("says a verdict's headline was not measured instead of printing NaN", () => {
    const summary = {
      kind: "run",
      runId: "abc",
      experiment: "neural-collapse",
      status: "complete",
      seed: 1,
      preset: "paper",
      backend: "native",
      metrics: { "nc1.reduction": Number.NaN },
      timing: { startedAt: "2026-12-05T00:00:00.000Z", finishedAt: "2026-12-05T00:01:00.000Z", seconds: 60 },
      verdict: { reproduced: false, measured: Number.NaN, threshold: 10, note: "never reached 100% training accuracy" },
    } as unknown as RunSummary;
    const verdict = formatSummary(summary).split("\n").find((l) => l.startsWith("verdict:"))!;
    expect(verdict).toContain("measured n/a (the note says why), threshold 10; never reached");
    expect(verdict).not.toContain("measured NaN");
    const measured = formatSummary({ ...summary, verdict: { ...summary.verdict!, measured: 0.25 } });
    expect(measured).toContain("measured 0.2500, threshold 10");
  });
});
