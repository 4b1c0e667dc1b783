/** FigureSpec -> standalone SVG text in Node, through linkedom's DOM. */
import { parseHTML } from "linkedom";
import type { FigureSpec } from "../phenomena/experiment.js";
import { renderFigure } from "./charts.js";

export function figureSvg(fig: FigureSpec): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const element = renderFigure(fig, document as never);
  let svg = element.outerHTML;
  // Plot omits the namespace, which a standalone .svg file (and an <img> tag) needs.
  if (!svg.includes('xmlns="http://www.w3.org/2000/svg"')) svg = svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return svg;
}
