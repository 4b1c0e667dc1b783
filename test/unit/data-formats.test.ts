import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import { parseNpy, parseNpz, writeNpy } from "../../src/data/npy.js";
import { parseCifar10Batch } from "../../src/data/cifar.js";
import { conformToInput } from "../../src/data/conform.js";
import { makeDataset } from "../../src/data/dataset.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { DataError } from "../../src/core/errors.js";
import { repeatPass } from "../backend.js";

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `quirklab-${prefix}-`));

describe.skipIf(repeatPass)(".npy and .npz", () => {
  it("round-trips any float32, int32 and uint8 array through writeNpy and parseNpy", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer(), (shape, kind, seed) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const values = kind === 0 ? Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed + i) * 10)) : kind === 1 ? Int32Array.from({ length: n }, (_, i) => (seed * 31 + i) | 0) : Uint8Array.from({ length: n }, (_, i) => (seed + i) & 255);
        const parsed = parseNpy(writeNpy(values, shape), "t.npy");
        expect(parsed.shape).toEqual(shape);
        expect(Array.from(parsed.values)).toEqual(Array.from(values));
      }),
      { numRuns: 60 },
    );
  });

  it("reads numpy's int64 labels and refuses what it cannot read, naming the file", () => {
    const header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    const padded = header.padEnd(128 - 10 - 1, " ") + "\n";
    const bytes = new Uint8Array(128 + 24);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, padded.length, true);
    bytes.set(strToU8(padded), 10);
    new BigInt64Array(bytes.buffer, 128, 3).set([7n, 0n, 9n]);
    expect(Array.from(parseNpy(bytes, "y.npy").values)).toEqual([7, 0, 9]);

    const good = writeNpy(Float32Array.from([1, 2]), [2]);
    expect(() => parseNpy(good.subarray(0, good.length - 1), "cut.npy")).toThrow(/cut\.npy: 7 bytes of data, but shape \(2\) of <f4 needs 8/);
    expect(() => parseNpy(strToU8("not numpy at all"), "bad.npy")).toThrow(/bad\.npy: not a \.npy file/);
    const swap = (from: string, to: string) => {
      const copy = good.slice();
      const text = new TextDecoder("latin1").decode(copy.subarray(10, 64)).replace(from, to);
      copy.set(strToU8(text), 10);
      return copy;
    };
    expect(() => parseNpy(swap("'<f4'", "'>f4'"), "be.npy")).toThrow(/be\.npy: dtype >f4 is big-endian/);
    expect(() => parseNpy(swap("False", "True "), "f.npy")).toThrow(/f\.npy: the array is in Fortran order/);
    expect(() => parseNpz(strToU8("PK not a zip"), "a.npz")).toThrow(DataError);
  });
});

/** A Keras-style archive: 6 training and 4 test 2x4 gray images, labels 0-2. */
function arrays(channelsFirst = false) {
  const image = (i: number) => Uint8Array.from({ length: 8 }, (_, p) => (i * 10 + p) * 3);
  const x = (n: number, offset: number) => {
    const out = new Uint8Array(n * 8);
    for (let i = 0; i < n; i++) out.set(image(offset + i), i * 8);
    return out;
  };
  const shape = (n: number) => (channelsFirst ? [n, 1, 2, 4] : [n, 2, 4]);
  return {
    "x_train.npy": writeNpy(x(6, 0), shape(6)),
    "y_train.npy": writeNpy(Int32Array.from([0, 1, 2, 0, 1, 2]), [6]),
    "x_test.npy": writeNpy(x(4, 6), shape(4)),
    "y_test.npy": writeNpy(Int32Array.from([2, 2, 1, 0]), [4]),
  };
}

describe.skipIf(repeatPass)("dataset folders and files", () => {
  it("loads an .npz archive (stored or deflated) and a folder of .npy files the same way", async () => {
    const dir = tmp("npz");
    writeFileSync(join(dir, "stored.npz"), zipSync(arrays(), { level: 0 }));
    writeFileSync(join(dir, "deflated.npz"), zipSync(arrays(), { level: 6 }));
    mkdirSync(join(dir, "npy"));
    for (const [name, bytes] of Object.entries(arrays())) writeFileSync(join(dir, "npy", name), bytes);
    const source = new NodeDataSource({ a: join(dir, "stored.npz"), b: join(dir, "deflated.npz"), c: join(dir, "npy") });
    for (const name of ["a", "b", "c"]) {
      const test = await source.load(name, "test");
      expect(test.n).toBe(4);
      expect(test.shape).toEqual([2, 4, 1]);
      expect(test.classes, name).toBe(3);
      expect(Array.from(test.y)).toEqual([2, 2, 1, 0]);
      expect(test.x[0]).toBeCloseTo(180 / 255, 6); // image 6, pixel 0: (60 + 0) * 3
      expect((await source.load(name, "train")).n).toBe(6);
    }
    expect(await source.fingerprint("a")).not.toBe(await source.fingerprint("b"));
    expect(await source.available()).toEqual(expect.arrayContaining(["a", "b", "c"]));
  });

  it("transposes PyTorch's channels-first arrays and refuses floats outside [0, 1]", async () => {
    const dir = tmp("npz-chw");
    writeFileSync(join(dir, "chw.npz"), zipSync(arrays(true)));
    const floats = { "x.npy": writeNpy(Float32Array.from([0, 0.5, 2, 1]), [2, 2]), "y.npy": writeNpy(Int32Array.from([0, 1]), [2]) };
    writeFileSync(join(dir, "floats.npz"), zipSync(floats));
    const source = new NodeDataSource({ chw: join(dir, "chw.npz"), floats: join(dir, "floats.npz") });
    const test = await source.load("chw", "test");
    expect(test.shape).toEqual([2, 4, 1]);
    expect(test.x[1]).toBeCloseTo(183 / 255, 6);
    await expect(source.load("floats", "test")).rejects.toThrow(/floats\.npz:x\.npy: float pixel values range over \[0, 2\]/);
    await expect(source.load("floats", "train")).rejects.toThrow(/holds one set \(x, y\), used as the test split/);
  });

  it("reads CIFAR-10 binary batches: red, green and blue planes into channels-last pixels", async () => {
    const record = new Uint8Array(3073);
    record[0] = 7;
    record[1 + 5] = 255; // red plane, pixel 5
    record[1 + 1024 + 5] = 51; // green plane, pixel 5
    const parsed = parseCifar10Batch(record, "batch.bin");
    expect(parsed.n).toBe(1);
    expect(Array.from(parsed.y)).toEqual([7]);
    expect(parsed.x[5 * 3]).toBe(1);
    expect(parsed.x[5 * 3 + 1]).toBeCloseTo(0.2, 6);
    expect(parsed.x[5 * 3 + 2]).toBe(0);
    expect(() => parseCifar10Batch(record.subarray(1), "short.bin")).toThrow(/short\.bin: 3072 bytes is not a whole number of CIFAR-10 records/);
    const dir = tmp("cifar");
    mkdirSync(join(dir, "cifar-10-batches-bin"));
    writeFileSync(join(dir, "cifar-10-batches-bin", "test_batch.bin"), Buffer.concat([record, record]));
    writeFileSync(join(dir, "cifar-10-batches-bin", "data_batch_1.bin"), record);
    const source = new NodeDataSource({ cifar: dir });
    const test = await source.load("cifar", "test");
    expect(test.shape).toEqual([32, 32, 3]);
    expect(test.n).toBe(2);
    expect((await source.load("cifar", "train")).n).toBe(1);
  });

  it("reads an image folder of class subfolders: PNG and JPEG, gray detected, classes by sorted name", async () => {
    const dir = tmp("images");
    const gray = (v: number) => encodePng({ width: 4, height: 3, data: new Uint8Array(12).fill(v), channels: 1, depth: 8 });
    for (const [split, cls, file, bytes] of [
      ["train", "cat", "a.png", gray(0)],
      ["train", "dog", "b.png", gray(255)],
      ["test", "dog", "c.png", gray(51)],
      ["test", "cat", "d.jpg", jpeg.encode({ width: 4, height: 3, data: Buffer.alloc(48, 128) }, 100).data],
    ] as const) {
      mkdirSync(join(dir, split, cls), { recursive: true });
      writeFileSync(join(dir, split, cls, file), bytes);
    }
    const source = new NodeDataSource({ pets: dir });
    const train = await source.load("pets", "train");
    expect(train.shape).toEqual([3, 4, 1]);
    expect(train.classes).toBe(2);
    expect(Array.from(train.y)).toEqual([0, 1]);
    expect(train.x[12]).toBe(1);
    const test = await source.load("pets", "test");
    expect(Array.from(test.y)).toEqual([0, 1]); // cat (the JPEG) first
    expect(test.x[0]).toBeGreaterThan(0.45);
    expect(test.x[12]).toBeCloseTo(0.2, 6);

    writeFileSync(join(dir, "test", "dog", "e.png"), encodePng({ width: 5, height: 3, data: new Uint8Array(15), channels: 1, depth: 8 }));
    await expect(new NodeDataSource({ pets: dir }).load("pets", "test")).rejects.toThrow(/e\.png is 5x3, but .*d\.jpg is 4x3/);
    const empty = tmp("empty");
    writeFileSync(join(empty, "notes.txt"), "hello");
    await expect(new NodeDataSource({ nothing: empty }).load("nothing", "test")).rejects.toThrow(/holds no dataset quirklab recognises \(found: notes\.txt\)/);
  });
});

describe.skipIf(repeatPass)("conforming data to a model's input", () => {
  it("converts colour to gray by luma and resizes bilinearly, saying so", () => {
    // 2x2 RGB: pure red, green, blue, white
    const rgb = makeDataset("rgb", Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]), Int32Array.from([0]), [2, 2, 3], 1);
    const gray = conformToInput(rgb, [2, 2, 1]);
    expect(Array.from(gray.data.x).map((v) => Number(v.toFixed(3)))).toEqual([0.299, 0.587, 0.114, 1]);
    expect(gray.conversion).toBe("colour to gray (BT.601 luma)");
    const small = conformToInput(rgb, [1]);
    expect(small.data.x[0]).toBeCloseTo((0.299 + 0.587 + 0.114 + 1) / 4, 6);
    expect(small.conversion).toContain("bilinear resize 2x2 -> 1x1");
    const same = makeDataset("flat", new Float32Array(4), Int32Array.from([0]), [2, 2, 1], 1);
    expect(conformToInput(same, [4]).conversion).toBeNull();
    expect(() => conformToInput(rgb, [2, 2, 2])).toThrow(/takes 2 channel\(s\), the data has 3/);
  });
});
