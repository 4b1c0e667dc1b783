/** The verdict kit every claim composes its verdict with: bounds, the note's format, the headline figure. */
import { describe, expect, it } from "vitest";
import { boundMove, boundValue, check, checkThat, collectChecks, difference, formats, judge, ratio, satisfies } from "../../src/phenomena/verdict-kit.js";
import { assess } from "../../src/phenomena/assess.js";
import { defineExperiment } from "../../src/phenomena/experiment.js";
import { z } from "zod";
import { repeatPass } from "../backend.js";

describe.skipIf(repeatPass)("verdict kit", () => {
  it("bounds compare as the claims always have: NaN and a missing figure fail, Infinity passes an atLeast", () => {
    expect(satisfies(0.5, { atLeast: 0.5 })).toBe(true);
    expect(satisfies(0.5, { above: 0.5 })).toBe(false);
    expect(satisfies(0.5, { atMost: 0.5 })).toBe(true);
    expect(satisfies(0.5, { below: 0.5 })).toBe(false);
    expect(satisfies(0.1, { within: [0.075, 0.125] })).toBe(true);
    expect(satisfies(0.13, { within: [0.075, 0.125] })).toBe(false);
    expect(satisfies(Number.NaN, { atLeast: 0 })).toBe(false);
    expect(satisfies(Number.NaN, { atMost: 0 })).toBe(false);
    expect(satisfies(1, { below: Number.NaN })).toBe(false); // a bound from a figure that was not measured
    expect(satisfies(Number.POSITIVE_INFINITY, { atLeast: 5 })).toBe(true);
    expect(check("x", undefined, { atLeast: 0 }).pass).toBe(false);
    expect([boundValue({ atLeast: 1 }), boundValue({ below: 2 }), boundValue({ within: [3, 4] })]).toEqual([1, 2, 3]);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(1, 4)).toBe(0.25);
    expect(difference(undefined, 1)).toBeUndefined();
  });

  it("writes every check in one format, with the bound as the schema states it unless told otherwise", () => {
    expect(check("MLP error at eps 0.1", 0.3, { atLeast: 0.5 }).text).toBe("MLP error at eps 0.1 0.300 (needs >= 0.5) FAIL");
    expect(check("rise", 0.00001, { atMost: 0.01 }, { format: formats.fixed(4) }).text).toBe("rise 0.0000 (needs <= 0.01) ok");
    expect(check("accuracy", 0.9, { atLeast: 0.975 }, { format: formats.percent(2), formatBound: formats.percent(1) }).text).toBe("accuracy 90.00% (needs >= 97.5%) FAIL");
    expect(check("purity", 0.1, { within: [0.075, 0.125] }).text).toBe("purity 0.100 (needs in [0.075, 0.125]) ok");
    expect(check("gap", undefined, { atLeast: 0 }, { missing: "not measured", because: "no gap size required" }).text).toBe("gap not measured (needs >= 0: no gap size required) FAIL");
    expect(checkThat("3x He test accuracy", 0.1, "diverged or <= 0.2", true).text).toBe("3x He test accuracy 0.100 (needs diverged or <= 0.2) ok");
  });

  it("reproduced only when there are checks and all pass; the headline is the first check's unless named", () => {
    const a = check("a", 2, { atLeast: 1 });
    const b = check("b", 0.5, { atMost: 1 });
    const c = check("c", 3, { atMost: 1 });
    expect(judge([a, b])).toEqual({ reproduced: true, measured: 2, threshold: 1, note: `${a.text}; ${b.text}` });
    expect(judge([a, c]).reproduced).toBe(false);
    expect(judge([a, b], { primary: b, reported: ["x (reported, not judged)"] })).toEqual({ reproduced: true, measured: 0.5, threshold: 1, note: `${a.text}; ${b.text}; x (reported, not judged)` });
    expect(judge([a], { measured: 7, threshold: 8 })).toMatchObject({ measured: 7, threshold: 8 });
    const none = judge([]);
    expect(none.reproduced).toBe(false);
    expect(Number.isNaN(none.measured)).toBe(true);
  });

  it("tells a relaxed bound from a tightened one, whatever its kind", () => {
    expect(boundMove({ atLeast: 0.85 }, { atLeast: 0.975 })).toBe("relaxed");
    expect(boundMove({ atLeast: 0.99 }, { atLeast: 0.975 })).toBe("tightened");
    expect(boundMove({ atMost: 0.12 }, { atMost: 0.06 })).toBe("relaxed");
    expect(boundMove({ below: 0.01 }, { below: 0.02 })).toBe("tightened");
    expect(boundMove({ within: [0.05, 0.15] }, { within: [0.075, 0.125] })).toBe("relaxed");
    expect(boundMove({ within: [0.08, 0.12] }, { within: [0.075, 0.125] })).toBe("tightened");
    expect(boundMove({ within: [0.1, 0.2] }, { within: [0.075, 0.125] })).toBe("mixed");
    expect(boundMove({ atLeast: 1 }, { atMost: 1 })).toBe("mixed");
    expect(boundMove({ atLeast: 1 }, { atLeast: 1 })).toBe("same");
  });

  it("collects the checks a verdict makes, nested calls each their own", () => {
    const outer = collectChecks(() => {
      check("a", 1, { atLeast: 0 });
      const inner = collectChecks(() => checkThat("b", 1, "anything", true));
      expect(inner.checks.map((c) => c.label)).toEqual(["b"]);
      return judge([check("c", 1, { atMost: 2 })]);
    });
    expect(outer.checks.map((c) => c.label)).toEqual(["a", "c"]);
    expect(outer.result.reproduced).toBe(true);
  });

  it("flags each threshold a config moved with the direction it moved the bounds, and judges at the schema's too", () => {
    const schema = z.strictObject({
      claim: z.strictObject({ minAccuracy: z.number().default(0.9), maxLoss: z.number().default(0.5), layer: z.number().default(2) }).prefault({}),
    });
    const def = defineExperiment({
      id: "toy",
      title: "toy",
      property: "toy",
      description: "toy",
      schema,
      presets: {},
      claim: {
        statement: "s",
        citation: "c",
        verdict: (m, config) => judge([check("accuracy", m[`accuracy${config.claim.layer}`], { atLeast: config.claim.minAccuracy }), check("loss", m.loss, { atMost: config.claim.maxLoss })]),
      },
      run: async () => ({ metrics: {} }),
    });
    const metrics = { accuracy2: 0.85, accuracy3: 0.95, loss: 0.4 };
    const a = assess(def, schema.parse({ claim: { minAccuracy: 0.8, maxLoss: 0.3, layer: 3 } }), { metrics });
    expect(a.changedThresholds).toEqual([
      { field: "claim.minAccuracy", value: 0.8, schemaDefault: 0.9, direction: "relaxed" },
      { field: "claim.maxLoss", value: 0.3, schemaDefault: 0.5, direction: "tightened" },
      // which metric is read, not how far it must go: no direction
      { field: "claim.layer", value: 3, schemaDefault: 2 },
    ]);
    expect(a.verdict!.reproduced).toBe(false); // loss 0.4 > 0.3
    expect(a.reproducedAtOwnThresholds).toBe(false); // accuracy2 0.85 < 0.9
    expect(assess(def, schema.parse({}), { metrics }).changedThresholds).toBeUndefined();
  });
});
