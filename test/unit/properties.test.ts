/**
 * Property modules: the one list (phenomena/properties.ts) that the registry, the tour, the lab's tabs and the README
 * are derived from, checked for what the types cannot say.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PROPERTIES, PROPERTY_MODULES } from "../../src/phenomena/properties.js";
import { defineProperty, type PropertyModule } from "../../src/phenomena/property.js";
import { experiments } from "../../src/phenomena/registry.js";
import { TOUR } from "../../src/run/tour.js";
import { PROPERTIES as LAB_TABS } from "../../web/src/properties.js";
import { repeatPass } from "../backend.js";

const root = join(import.meta.dirname, "..", "..");

describe.skipIf(repeatPass)("property modules", () => {
  it("every folder under src/phenomena is a property module in the list, and every experiment belongs to exactly one", async () => {
    const folders = readdirSync(join(root, "src", "phenomena")).filter((f) => statSync(join(root, "src", "phenomena", f)).isDirectory());
    for (const folder of folders) {
      const exported = Object.values(await import(join(root, "src", "phenomena", folder, "index.ts"))) as PropertyModule[];
      expect(exported, folder).toHaveLength(1);
      expect(PROPERTY_MODULES, folder).toContain(exported[0]);
    }
    expect(PROPERTY_MODULES).toHaveLength(folders.length);
    const ids = experiments.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(PROPERTY_MODULES.flatMap((m) => m.experiments.map((e) => e.id)));
    for (const m of PROPERTY_MODULES) for (const e of m.experiments) expect(e.property, e.id).toBe(m.id);
  });

  it("every experiment is three files named after it: <id>.schema.ts, <id>.claim.ts and the protocol <id>.ts", () => {
    const folders = readdirSync(join(root, "src", "phenomena")).filter((f) => statSync(join(root, "src", "phenomena", f)).isDirectory());
    for (const folder of folders) {
      const files = readdirSync(join(root, "src", "phenomena", folder));
      const index = readFileSync(join(root, "src", "phenomena", folder, "index.ts"), "utf8");
      const ids = [...index.matchAll(/from "\.\/([a-z0-9-]+)\.js"/g)].map((m) => m[1]!);
      const module = PROPERTY_MODULES.find((m) => m.experiments.every((e) => ids.includes(e.id)) && m.experiments.length === ids.length);
      expect(module, `${folder}/index.ts imports each experiment from its own <id>.ts`).toBeDefined();
      for (const e of module!.experiments) {
        for (const suffix of [".ts", ".schema.ts", ...(e.claim ? [".claim.ts"] : [])]) expect(files, `${folder}/${e.id}${suffix}`).toContain(`${e.id}${suffix}`);
        const protocol = readFileSync(join(root, "src", "phenomena", folder, `${e.id}.ts`), "utf8");
        expect(protocol, `${e.id}.ts keeps its schema in ${e.id}.schema.ts`).not.toMatch(/z\.(strict)?[oO]bject\(/);
        expect(protocol, `${e.id}.ts keeps its claim in ${e.id}.claim.ts`).not.toMatch(/:\s*Claim</);
      }
    }
  });

  it("the seven are numbered 1..7 and those beyond from 8, each with a tour experiment; the tour, the lab's tabs and the README follow the list", () => {
    expect(PROPERTIES.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(TOUR.map((s) => s.experiment)).toEqual(PROPERTIES.map((p) => p.tourExperiment));
    expect(TOUR.every((s) => s.experiment !== null)).toBe(true);
    const beyond = PROPERTY_MODULES.filter((m) => m.group === "beyond");
    // numbered as the issues that asked for them number them (8-10, then 11-14), ascending, none built twice
    expect(beyond[0]!.number).toBe(8);
    beyond.forEach((m, i) => i > 0 && expect(m.number).toBeGreaterThan(beyond[i - 1]!.number));
    // the tools (inspect) come last: they measure a user's model, not a claim
    const tools = PROPERTY_MODULES.filter((m) => m.group === "tool").map((m) => m.id);
    expect(tools).toEqual(["inspect"]);
    expect(LAB_TABS.map((t) => t.id)).toEqual([...PROPERTIES.map((p) => p.id), ...beyond.map((m) => m.id), "foundation", ...tools]);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const p of [...PROPERTIES, ...beyond]) expect(readme, p.name).toContain(`${p.number}. ${p.name}`);
  });

  it("a module whose experiment names another property, or whose tour experiment is not its own, is refused", () => {
    const base = { id: "x", number: 9, name: "X", title: "t", question: "q", group: "beyond" as const };
    expect(() => defineProperty({ ...base, tourExperiment: null, experiments: [{ id: "e", property: "y" }] })).toThrow(/experiment e says property "y" but is listed in property "x"/);
    expect(() => defineProperty({ ...base, tourExperiment: "f", experiments: [{ id: "e", property: "x" }] })).toThrow(/tour experiment f is not one of its experiments/);
  });
});
