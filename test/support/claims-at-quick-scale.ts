/**
 * Claims as tests: every experiment's quick preset is run once (seed 1) and its verdict, against the thresholds the
 * schema defines (the claim's own, whatever the preset relaxed), must be `reproduced`, unless the claim says in
 * `notAtQuickScale` why the quick scale cannot show it; then it must not be, so a reason that has gone stale fails
 * too. The run's details must have the shape the experiment declares for its figures, and the verdict must be the
 * verdict kit's: reproduced exactly when every check the claim made passes, each check written into the note.
 *
 * Native backend only: the verdicts are judged on one engine's figures (the wasm pass would repeat the same runs at
 * three times the cost and tests no claim the native pass has not).
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { loadNativeAddon } from "../../src/engine/native.js";
import { assess } from "../../src/phenomena/assess.js";
import { collectChecks } from "../../src/phenomena/verdict-kit.js";
import type { PropertyModule } from "../../src/phenomena/property.js";
import { runExperiment } from "../../src/run/runner.js";
import { initTestBackend, testBackendChoice } from "../backend.js";

const onNative = testBackendChoice() === "native" || (testBackendChoice() === "auto" && loadNativeAddon() !== null);

export function claimsAtQuickScale(property: PropertyModule): void {
  describe.skipIf(!onNative)(`${property.id}: each claim at its quick preset`, () => {
    const runsDir = mkdtempSync(join(tmpdir(), `quirklab-claims-${property.id}-`));
    const data = new NodeDataSource();
    for (const def of property.experiments) {
      const claim = def.claim;
      if (!claim || !def.presets.quick) continue;
      const expectation = claim.notAtQuickScale ? `does not reproduce (${claim.notAtQuickScale.slice(0, 60)}...)` : "reproduces";
      it(`${def.id}: the quick preset ${expectation}`, async () => {
        const backend = await initTestBackend();
        const summary = await runExperiment({ experiment: def.id, preset: "quick", seed: 1, runsDir, backend, data, report: false });
        expect(summary.status).toBe("complete");
        const ownVerdict = summary.reproducedAtOwnThresholds ?? summary.verdict!.reproduced;
        const note = `${summary.verdict!.note}${summary.changedThresholds ? ` [at the schema's thresholds: ${ownVerdict}]` : ""}`;
        expect(ownVerdict, note).toBe(!claim.notAtQuickScale);
        // one rule for every claim, checked generically instead of re-typing thresholds per experiment
        const { result, checks } = collectChecks(() => claim.verdict(summary.metrics, summary.config as never));
        expect(result).toEqual(summary.verdict);
        expect(result.reproduced).toBe(checks.length > 0 && checks.every((c) => c.pass));
        for (const c of checks) expect(result.note, c.label).toContain(c.text);
        if (def.details) {
          const stored = JSON.parse(JSON.stringify(summary.details ?? {}));
          const parsed = def.details.safeParse(stored);
          expect(parsed.success, parsed.success ? "" : parsed.error.message).toBe(true);
        }
        // every figure the report would draw from the summary as stored
        const stored = JSON.parse(JSON.stringify(summary)) as typeof summary;
        const figures = assess(def, stored.config, { metrics: stored.metrics, ...(stored.details ? { details: stored.details } : {}) }).figures;
        if (def.figures) expect(figures.length, "figures drawn from the stored summary").toBeGreaterThan(0);
        // each paper figure is set beside a metric the experiment really writes (a mistyped key would print "not measured"),
        // and one marked as measured only by the paper preset (a model or sparsity only it has) is indeed absent here
        const written = Object.keys(summary.metrics);
        for (const f of claim.paperFigures ?? [])
          expect(written.includes(f.metric), `paper figure "${f.label}" (${f.metric}) in the quick run's metrics: ${written.join(", ")}`).toBe(!f.paperPresetOnly);
      });
    }
  });
}
