/** The report's chart code in Node (linkedom): every figure kind renders to an SVG with marks, dense maps included. */
import { describe, expect, it } from "vitest";
import { figureSvg } from "../../src/report/svg.js";

describe("report charts", () => {
  it("render a dense heatmap (a 21x21 surface) and a small matrix without a canvas", () => {
    const n = 21;
    const labels = Array.from({ length: n }, (_, i) => ((i - 10) / 10).toFixed(2));
    const values = labels.map((_, j) => labels.map((_, i) => Math.hypot(i - 10, j - 10)));
    const dense = figureSvg({ kind: "heatmap", id: "s", title: "surface", x: "alpha", y: "beta", columns: labels, rows: labels, values, scheme: "viridis" });
    expect(dense).toMatch(/^<svg/);
    expect((dense.match(/<rect/g) ?? []).length).toBeGreaterThanOrEqual(n * n);
    expect(dense).not.toContain(">14.1<"); // no printed values in a dense map
    const small = figureSvg({ kind: "heatmap", id: "m", title: "matrix", x: "j", y: "i", columns: ["1", "2"], rows: ["1", "2"], values: [[0.5, 0.25], [1, 0]], domain: [0, 1] });
    expect(small).toContain("0.25");
  });

  it("render a scatter with one dot per point, sized per series, and a log axis that drops non-positive points", () => {
    const svg = figureSvg({
      kind: "scatter",
      id: "p",
      title: "points",
      x: "PC 1",
      y: "PC 2",
      series: [
        { name: "path", radius: 1.5, points: [[0, 1], [1, 2], [2, 3]] },
        { name: "final", radius: 4, points: [[3, 4]] },
      ],
    });
    expect((svg.match(/<circle/g) ?? []).length).toBe(4);
    expect(svg).toContain('r="4"');
    expect(svg).toContain("final");
    const log = figureSvg({ kind: "scatter", id: "l", title: "log", x: "x", y: "y", logY: true, series: [{ name: "s", points: [[1, 0], [2, 10], [3, 100]] }] });
    expect((log.match(/<circle/g) ?? []).length).toBe(2);
  });
});
