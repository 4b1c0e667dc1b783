/** Merging configs: presets over defaults, files over presets, links over defaults (no dependencies: the page uses it). */

type Json = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Nested objects merge; arrays and scalars replace. Keys are defined as own properties, so a "__proto__" key from
 * JSON stays a (wrong) field that validation reports, instead of silently replacing the result's prototype.
 */
export function deepMerge(base: Json, override: Json): Json {
  const out: Json = {};
  const set = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(base)) set(key, value);
  for (const [key, value] of Object.entries(override)) {
    const existing = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    set(key, isPlainObject(value) && isPlainObject(existing) ? deepMerge(existing, value) : value);
  }
  return out;
}
