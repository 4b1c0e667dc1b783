/**
 * The URL hash holds what makes a run reproducible: experiment, seed, backend and the full config, so a link is a
 * shareable, exact re-run (playground-style). Format: #<experiment>?seed=<n>&config=<JSON, URI-encoded>[&backend=wasm]
 * [&preset=quick]. The lab writes whole configs; a hand-written link may hold only the fields it changes, which the
 * lab merges over the named preset (standard when none is named).
 */
export interface LabLocation {
  experiment: string;
  seed: number;
  config?: Record<string, unknown>;
  backend?: string;
  preset?: string;
}

export function encodeHash(location: LabLocation): string {
  const params = new URLSearchParams();
  params.set("seed", String(location.seed));
  if (location.preset) params.set("preset", location.preset);
  if (location.backend) params.set("backend", location.backend);
  if (location.config) params.set("config", JSON.stringify(location.config));
  return `#${encodeURIComponent(location.experiment)}?${params.toString()}`;
}

/** Reads a hash written by encodeHash; anything it cannot read is left out, never guessed. */
export function decodeHash(hash: string): Partial<LabLocation> & { errors: string[] } {
  const errors: string[] = [];
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!body) return { errors };
  const q = body.indexOf("?");
  const params = new URLSearchParams(q < 0 ? "" : body.slice(q + 1));
  const out: Partial<LabLocation> & { errors: string[] } = { errors };
  const rawExperiment = q < 0 ? body : body.slice(0, q);
  try {
    const experiment = decodeURIComponent(rawExperiment);
    if (experiment) out.experiment = experiment;
  } catch {
    errors.push(`the experiment "${rawExperiment}" in the link is not a valid URI component`);
  }
  const seed = params.get("seed");
  if (seed !== null) {
    const n = /^\d+$/.test(seed) ? Number(seed) : Number.NaN;
    if (Number.isInteger(n) && n >= 0 && n <= 0xffffffff) out.seed = n;
    else errors.push(`seed "${seed}" in the link is not an integer in [0, 4294967295]`);
  }
  const preset = params.get("preset");
  if (preset) out.preset = preset;
  const backend = params.get("backend");
  if (backend) out.backend = backend;
  const config = params.get("config");
  if (config) {
    try {
      const parsed: unknown = JSON.parse(config);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) out.config = parsed as Record<string, unknown>;
      else errors.push("config in the link is not a JSON object");
    } catch (error) {
      errors.push(`config in the link is not valid JSON (${(error as Error).message})`);
    }
  }
  return out;
}
