import { describe, expect, it } from "vitest";
import { formatPaperValue, paperComparison } from "../../src/phenomena/paper-figures.js";
import { paperTableHtml } from "../../src/report/html.js";
import { paperTableMarkdown } from "../../src/report/markdown.js";
import { summarize } from "../../src/core/stats.js";
import { experiments } from "../../src/phenomena/registry.js";
import type { PaperFigure } from "../../src/phenomena/experiment.js";

const figures: PaperFigure[] = [
  { label: "MLP error at eps 0.25", metric: "mlp.error@0.25", paper: 0.894, unit: "percent", source: "Goodfellow 2015" },
  { label: "test errors", metric: "errors", paper: 146, source: "Hinton 2015", recalled: true },
  { label: "absent", metric: "cnn.error@0.25", paper: 0.79, unit: "percent", source: "tutorial" },
];

describe("the paper's figure beside ours", () => {
  it("takes a single run's value, an aggregate's mean ± sd, and names what was not measured", () => {
    const single = paperComparison(figures, { "mlp.error@0.25": 0.9612, errors: 74 });
    expect(single.map((r) => [r.ours, r.sd, r.seeds])).toEqual([[0.9612, undefined, 1], [74, undefined, 1], [null, undefined, 0]]);
    expect(formatPaperValue(single[0]!, "paper")).toBe("89.4%");
    expect(formatPaperValue(single[0]!, "ours")).toBe("96.1%");
    expect(formatPaperValue(single[1]!, "paper")).toBe("146 [R]");
    expect(formatPaperValue(single[2]!, "ours")).toBe("not measured");
    expect(formatPaperValue(paperComparison([{ ...figures[2]!, paperPresetOnly: true }], {})[0]!, "ours")).toBe("not measured (the paper preset's default measures it)");

    const over = summarize([0.95, 0.97, 0.96]);
    const aggregate = paperComparison(figures, { "mlp.error@0.25": over, errors: summarize([70, 78]) });
    expect(aggregate[0]!.ours).toBeCloseTo(0.96, 12);
    expect(aggregate[0]!.sd).toBeCloseTo(0.01, 12);
    expect(formatPaperValue(aggregate[0]!, "ours")).toBe("96.0% ± 1.0 (3 seeds)");
    expect(formatPaperValue(aggregate[1]!, "ours")).toBe("74 ± 5.657 (2 seeds)");
  });

  it("renders the same rows in HTML and Markdown, with the [R] legend only when a figure is recalled", () => {
    const rows = paperComparison(figures, { "mlp.error@0.25": 0.9612, errors: 74 });
    const html = paperTableHtml(rows, "beside");
    expect(html.match(/data-paper-figure=/g)).toHaveLength(3);
    expect(html).toContain("89.4%");
    expect(html).toContain("recalled");
    expect(paperTableHtml(rows.slice(0, 1), "x")).not.toContain("recalled");
    expect(paperTableHtml([], "x")).toBe("");
    const md = paperTableMarkdown(rows);
    expect(md.split("\n").filter((l) => l.startsWith("| "))).toHaveLength(4);
    expect(md).toContain("| 146 [R] | 74 |");
  });

  it("every declared paper figure names a source and, for a percentage, a fraction", () => {
    for (const def of experiments)
      for (const f of def.claim?.paperFigures ?? []) {
        expect(f.source.length, `${def.id}: ${f.label}`).toBeGreaterThan(3);
        if (f.unit === "percent") expect(f.paper, `${def.id}: ${f.label}`).toBeLessThanOrEqual(1);
      }
  });
});
