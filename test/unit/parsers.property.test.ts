/**
 * Property-based tests (fast-check, fixed seeds) of every parser a user feeds: IDX bytes, `--set` assignments and
 * config files, tfjs model files, `--seeds`, and the lab's URL hash. Each must either accept its input or refuse it
 * with quirklab's own error naming the input, never crash with a TypeError / RangeError / URIError or hang.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { gzipSync } from "fflate";
import { readIdx, writeIdx } from "../../src/core/idx.js";
import { ConfigError, DataError } from "../../src/core/errors.js";
import { datasetFromIdx } from "../../src/data/idx-dataset.js";
import { parseSet, resolveConfig } from "../../src/run/config.js";
import { getExperiment, validateSeed } from "../../src/run/runner.js";
import { parseSeeds } from "../../src/run/seeds.js";
import { parseSummary, RunFileError } from "../../src/store/summary-schema.js";
import { fromArtifacts, toArtifacts } from "../../src/models/io.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { Rng } from "../../src/core/rng.js";
import { decodeHash, encodeHash } from "../../web/src/hash.js";
import { initTestBackend, repeatPass } from "../backend.js";

const options = (seed: number, numRuns = 300) => ({ seed, numRuns });

/** Runs `fn`; the only error allowed is an instance of `allowed`. */
function acceptsOrRefuses<T>(fn: () => T, allowed: (new (...args: never[]) => Error)[], input: unknown): T | null {
  try {
    return fn();
  } catch (error) {
    if (!allowed.some((a) => error instanceof a)) throw new Error(`input ${JSON.stringify(input)?.slice(0, 200)} gave ${(error as Error).name}: ${(error as Error).message}`);
    return null;
  }
}

/** Valid IDX bytes, then damaged: cut short, extended, a byte changed, or gzipped. */
const idxBytes = fc
  .record({
    dims: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    cut: fc.option(fc.nat({ max: 200 })),
    extra: fc.uint8Array({ maxLength: 8 }),
    flip: fc.option(fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: 0, max: 255 }))),
    gzip: fc.boolean(),
  })
  .map(({ dims, cut, extra, flip, gzip }) => {
    const count = dims.reduce((a, b) => a * b, 1);
    let bytes = writeIdx(Uint8Array.from({ length: count }, (_, i) => i % 256), dims);
    if (cut !== null) bytes = bytes.subarray(0, Math.min(cut, bytes.length));
    if (extra.length) bytes = Uint8Array.from([...bytes, ...extra]);
    if (flip && flip[0] < bytes.length) bytes[flip[0]] = flip[1];
    return gzip ? gzipSync(bytes) : bytes;
  });

describe.skipIf(repeatPass)("parsers under arbitrary input (property-based)", () => {
  it("IDX: any bytes load or give a DataError naming the file", () => {
    fc.assert(
      fc.property(fc.oneof(idxBytes, fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b]))), (bytes) => {
        try {
          const t = readIdx(bytes, "file.idx");
          expect(t.data.length).toBe(t.dims.reduce((a, b) => a * b, 1));
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          expect((error as Error).message).toMatch(/^file\.idx: /);
        }
      }),
      options(20),
    );
  });

  it("IDX pairs: images and labels of any shapes make a dataset or a DataError", () => {
    fc.assert(
      fc.property(idxBytes, idxBytes, (images, labels) => {
        acceptsOrRefuses(() => datasetFromIdx(images, "images", labels, "labels", "set"), [DataError], null);
      }),
      options(21),
    );
  });

  it("--set: any assignment parses to a path and value or is a ConfigError; a resolved config always validates", () => {
    const def = getExperiment("baseline");
    const key = fc.constantFrom("train", "lr", "train.lr", "model.hidden", "data", "data.trainSize", "__proto__", "constructor", "a..b", "", "x.y.z", "train.batchSize");
    const value = fc.oneof(fc.string(), fc.constantFrom("0.1", "[32]", "-1", "1e309", "null", "{}", "{\"a\":1}", "adam", "NaN", "[", "true"));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 3 }), fc.string(), (pairs, junk) => {
        const sets = [...pairs.map(([k, v]) => `${k}=${v}`), ...(junk.includes("=") ? [junk] : [])];
        const config = acceptsOrRefuses(() => resolveConfig(def, { preset: "quick", sets }), [ConfigError], sets);
        if (config) expect(def.schema.safeParse(config).success).toBe(true);
        acceptsOrRefuses(() => parseSet(junk), [ConfigError], junk);
      }),
      options(22),
    );
  });

  it("config files: any JSON object resolves or is a ConfigError (a __proto__ key is a field, never a prototype)", () => {
    const def = getExperiment("baseline");
    fc.assert(
      fc.property(fc.json().map((text) => JSON.parse(text) as unknown), fc.dictionary(fc.constantFrom("train", "__proto__", "model", "data"), fc.jsonValue()), (any, keyed) => {
        for (const file of [any, keyed]) {
          const config = acceptsOrRefuses(() => resolveConfig(def, { preset: "quick", file: file as Record<string, unknown> }), [ConfigError], file);
          if (config) {
            expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
            expect(def.schema.safeParse(config).success).toBe(true);
          }
        }
      }),
      options(23, 200),
    );
  });

  it("seeds: --seed and --seeds take whole numbers and ascending ranges only", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9.,a ]{0,12}$/)), (text) => {
        const seeds = acceptsOrRefuses(() => parseSeeds(text), [ConfigError], text);
        if (seeds) {
          expect(seeds.length).toBeGreaterThan(0);
          expect(seeds.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
          expect(new Set(seeds).size).toBe(seeds.length);
        }
        const seed = acceptsOrRefuses(() => validateSeed(text), [ConfigError], text);
        if (seed !== null) expect(String(seed)).toBe(text.trim().replace(/^0+(?=\d)/, ""));
      }),
      options(24, 500),
    );
  });

  it("summary files: any text is a summary or a RunFileError naming the file", () => {
    const valid = { runId: "a", kind: "run", experiment: "baseline", status: "complete", quirklabVersion: "0", seed: 1, preset: "quick", config: {}, backend: "native", metrics: {}, timing: {} };
    const text = JSON.stringify(valid);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat({ max: text.length }).map((n) => text.slice(0, n)), fc.jsonValue().map((v) => JSON.stringify({ ...valid, metrics: v }))), (input) => {
        const parsed = acceptsOrRefuses(() => parseSummary("R/x/summary.json", input), [RunFileError], input);
        if (!parsed) expect(() => parseSummary("R/x/summary.json", input)).toThrow(/^R\/x\/summary\.json: /);
      }),
      options(25),
    );
  });

  it("the lab's URL hash: any string decodes to what it can read plus errors, and encode/decode round-trips", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: "binary" }), (text, binary) => {
        for (const hash of [text, `#${text}`, `#x?seed=${text}&config=${text}`, binary]) {
          const out = decodeHash(hash);
          expect(Array.isArray(out.errors)).toBe(true);
          if (out.seed !== undefined) expect(Number.isInteger(out.seed)).toBe(true);
        }
      }),
      options(26),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 0xffffffff }), fc.dictionary(fc.string(), fc.jsonValue()), (experiment, seed, config) => {
        const location = { experiment, seed, config: JSON.parse(JSON.stringify(config)) as Record<string, unknown> };
        expect(decodeHash(encodeHash(location))).toEqual({ ...location, errors: [] });
      }),
      options(27, 200),
    );
  });
});

describe("model files under arbitrary damage (property-based)", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("a damaged model.json or weights file loads or gives a DataError naming the file", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [4] }), { input: [3, 3, 1], classes: 2 }, new Rng(1));
    const { modelJson, weights } = toArtifacts(model);
    const text = JSON.stringify(modelJson);
    // a damaged JSON value at a random path: the field replaced by an arbitrary JSON value, or removed
    const damaged = fc.record({ path: fc.array(fc.nat({ max: 8 }), { minLength: 1, maxLength: 6 }), value: fc.option(fc.jsonValue()) }).map(({ path, value }) => {
      const copy = JSON.parse(text) as unknown;
      let node = copy as Record<string, unknown>;
      for (const [depth, pick] of path.entries()) {
        if (!node || typeof node !== "object") break;
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        const key = keys[pick % keys.length]!;
        if (depth === path.length - 1 || typeof node[key] !== "object" || node[key] === null) {
          if (value === null) delete node[key];
          else node[key] = value;
          break;
        }
        node = node[key] as Record<string, unknown>;
      }
      return copy;
    });
    const bytes = fc.oneof(fc.constant(weights), fc.nat({ max: weights.length + 8 }).map((n) => (n <= weights.length ? weights.subarray(0, n) : Uint8Array.from([...weights, ...new Array<number>(n - weights.length).fill(1)]))));
    fc.assert(
      fc.property(damaged, bytes, (json, w) => {
        const loaded = acceptsOrRefuses(() => fromArtifacts(json as never, w, "m/model.json"), [DataError], json);
        if (loaded) loaded.model.dispose();
        else expect(() => fromArtifacts(json as never, w, "m/model.json")).toThrow(/m\/model\.json/);
      }),
      options(28, 300),
    );
    model.dispose();
  });
});
