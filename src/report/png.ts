/**
 * PNG charts in Node: SVG through resvg with an explicit font (the same pixels on every machine with the
 * font file). Image grids (pure JS, usable by experiments) are in core/image-grid.ts.
 */
import { existsSync } from "node:fs";

const FONT_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];

/** Renders an SVG chart at `scale`; null when resvg (an optional native binary) cannot be loaded here. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array | null> {
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = await import("@resvg/resvg-js"));
  } catch {
    return null;
  }
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: fontFiles.length === 0, fontFiles, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
