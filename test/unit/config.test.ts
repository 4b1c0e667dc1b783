import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { deepMerge, parseSet, resolveConfig } from "../../src/run/config.js";
import { baseline } from "../../src/phenomena/baseline/baseline.js";

describe("config resolution", () => {
  it("applies schema defaults, then the preset, then --set overrides", () => {
    const std = resolveConfig(baseline, { preset: "standard" });
    expect(std.data.trainSize).toBe(60000);
    expect(std.model).toMatchObject({ kind: "mlp", hidden: [256] });
    const quick = resolveConfig(baseline, { preset: "quick", sets: ["train.lr=0.01", "model.hidden=[32,16]", "model.activation=tanh"] });
    expect(quick.data.trainSize).toBe(2000);
    expect(quick.train.lr).toBe(0.01);
    expect(quick.model).toMatchObject({ kind: "mlp", hidden: [32, 16] });
    expect(quick.model.activation).toBe("tanh");
    expect(quick.train.optimizer).toBe("adam");
  });

  it("names an unknown key", () => {
    expect(() => resolveConfig(baseline, { sets: ["train.lrate=0.1"] })).toThrow(/unknown key train\.lrate/);
    expect(() => resolveConfig(baseline, { sets: ["colour=red"] })).toThrow(/unknown key colour/);
  });

  it("names a field of the wrong type", () => {
    expect(() => resolveConfig(baseline, { sets: ["train.epochs=many"] })).toThrow(/train\.epochs: .*expected number/);
    expect(() => resolveConfig(baseline, { sets: ["model.activation=swish"] })).toThrow(/model\.activation: .*relu/);
  });

  it("names an out-of-range value and the allowed range", () => {
    try {
      resolveConfig(baseline, { sets: ["train.batchSize=0"] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/train\.batchSize: .*\(allowed: >= 1\)/);
      expect((error as ConfigError).hint).toMatch(/--set/);
    }
    expect(() => resolveConfig(baseline, { sets: ["data.trainSize=70000"] })).toThrow(/data\.trainSize: .*\(allowed: <= 60000\)/);
  });

  it("parses --set values as JSON when they are JSON", () => {
    expect(parseSet("a.b=3")).toEqual({ a: { b: 3 } });
    expect(parseSet("a=[1,2]")).toEqual({ a: [1, 2] });
    expect(parseSet("a=true")).toEqual({ a: true });
    expect(parseSet("a=relu")).toEqual({ a: "relu" });
    expect(() => parseSet("novalue")).toThrow(/not key=value/);
  });

  it("merges nested objects and replaces arrays", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
  });

  it("rejects an unknown preset", () => {
    expect(() => resolveConfig(baseline, { preset: "paper" })).toThrow(/has no "paper" preset/);
  });
});
