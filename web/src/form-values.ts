/** Reading what people type into the config form (kept apart from the element, so Node tests can load it). */

/** "0.01, 0.1" -> [0.01, 0.1]; throws on anything that is not a finite number. */
export function parseNumberList(text: string, integer: boolean): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new Error(`"${p}" is not ${integer ? "an integer" : "a number"}`);
    return n;
  });
}
