import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { FASHION_MNIST_DIR, NodeDataSource } from "../../src/data/node-source.js";
import { classCounts } from "../../src/data/dataset.js";

// Debian's dataset-fashion-mnist (gzipped IDX) is the first user of the user-IDX path; .ci/run installs it.
describe.skipIf(!existsSync(FASHION_MNIST_DIR))("Fashion-MNIST from Debian's gzipped IDX files", () => {
  it("loads 60k + 10k balanced examples", async () => {
    const source = new NodeDataSource();
    expect(await source.available()).toContain("fashion-mnist");
    const test = await source.load("fashion-mnist", "test");
    expect(test.n).toBe(10000);
    expect(test.shape).toEqual([28, 28, 1]);
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    const train = await source.load("fashion-mnist", "train");
    expect(train.n).toBe(60000);
  });
});
