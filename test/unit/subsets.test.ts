/**
 * Every run records the data subsets it drew (IDX, int32 indices into the dataset's own split), so that its figures can
 * be re-checked on exactly the same examples elsewhere: the recorded indices must redraw exactly the examples the
 * experiment trained and tested on, and the draw must be the one it always was (the same stream consumption).
 */
import { describe, expect, it } from "vitest";
import { readIdx } from "../../src/core/idx.js";
import { RngStreams } from "../../src/core/rng.js";
import { select } from "../../src/data/dataset.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { randomSubset } from "../../src/data/transforms.js";
import { loadSplits } from "../../src/phenomena/data.js";
import { repeatPass } from "../backend.js";

describe.skipIf(repeatPass)("recorded data subsets", () => {
  it("the indices written by loadSplits redraw the run's train and test subsets exactly", async () => {
    const data = new NodeDataSource();
    const written = new Map<string, Uint8Array>();
    const ctx = { streams: new RngStreams(7), data, artifacts: { write: async (path: string, bytes: Uint8Array | string) => void written.set(path, bytes as Uint8Array) } };
    const { train, test } = await loadSplits(ctx, { dataset: "mnist", trainSize: 300, testSize: 10000 });
    expect([...written.keys()]).toEqual(["subsets/train-indices.idx", "subsets/test-indices.idx"]);
    const fullTrain = await data.load("mnist", "train");
    const fullTest = await data.load("mnist", "test");
    const trainIdx = readIdx(written.get("subsets/train-indices.idx")!, "train indices");
    expect(trainIdx.type).toBe("int32");
    expect(trainIdx.dims).toEqual([300]);
    const indices = Array.from(trainIdx.data);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(new Set(indices).size).toBe(300);
    const redrawn = select(fullTrain, indices, "redrawn");
    expect(Buffer.from(redrawn.x.buffer).equals(Buffer.from(train.x.buffer))).toBe(true);
    expect(Array.from(redrawn.y)).toEqual(Array.from(train.y));
    // the whole test split: every index, in order
    const testIdx = readIdx(written.get("subsets/test-indices.idx")!, "test indices");
    expect(Array.from(testIdx.data)).toEqual(Array.from({ length: fullTest.n }, (_, i) => i));
    expect(test.n).toBe(fullTest.n);
    // the same draw as before the indices were recorded: randomSubset on the same stream
    const again = randomSubset(fullTrain, 300, new RngStreams(7).get("data"));
    expect(Array.from(again.y)).toEqual(Array.from(train.y));
  });
});
