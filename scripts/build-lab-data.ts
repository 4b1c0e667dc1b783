/**
 * Builds the browser lab's data bundle from the same IDX sources the CLI reads: a seeded, class-stratified subset of
 * each available dataset (MNIST always; Fashion-MNIST when Debian's package is installed), written as gzipped IDX files
 * and an index.json into web/public/data/. Usage: tsx scripts/build-lab-data.ts [--train N] [--test N] [--out DIR]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.js";
import { writeIdx } from "../src/core/idx.js";
import { select, type Dataset } from "../src/data/dataset.js";
import { NodeDataSource } from "../src/data/node-source.js";
import { BUNDLE_FILES, type BundledDataset, type DataBundleIndex } from "../src/data/fetch-source.js";

export const LAB_DATA_SEED = 20261127;

/** Equal numbers per class (up to what each class has), drawn with a fixed seed and kept in source order. */
function stratified(ds: Dataset, size: number, rng: Rng): Dataset {
  const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
  ds.y.forEach((label, i) => byClass[label]!.push(i));
  const picked: number[] = [];
  byClass.forEach((indices, c) => {
    const want = Math.floor(size / ds.classes) + (c < size % ds.classes ? 1 : 0);
    const order = rng.permutation(indices.length);
    for (let k = 0; k < Math.min(want, indices.length); k++) picked.push(indices[order[k]!]!);
  });
  picked.sort((a, b) => a - b);
  return select(ds, picked, `lab(${size})`);
}

function writeSplit(ds: Dataset, dir: string, files: { images: string; labels: string }): void {
  const pixels = new Uint8Array(ds.x.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(ds.x[i]! * 255);
  writeFileSync(join(dir, files.images), writeIdx(pixels, [ds.n, ds.shape[0]!, ds.shape[1]!], { gzip: true }));
  writeFileSync(join(dir, files.labels), writeIdx(Uint8Array.from(ds.y), [ds.n], { gzip: true }));
}

export async function buildLabData(out: string, sizes: { train: number; test: number }): Promise<DataBundleIndex> {
  const source = new NodeDataSource();
  const names = await source.available();
  const index: DataBundleIndex = { datasets: [] };
  for (const name of names) {
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    const entry: BundledDataset = { name, train: 0, test: 0, origin: "" };
    for (const split of ["train", "test"] as const) {
      const full = await source.load(name, split);
      const subset = stratified(full, sizes[split], new Rng(LAB_DATA_SEED).fork(`${name}/${split}`));
      writeSplit(subset, dir, BUNDLE_FILES[split]);
      entry[split] = subset.n;
    }
    entry.origin = `${name}: ${entry.train} train and ${entry.test} test images, class-stratified, drawn with seed ${LAB_DATA_SEED} from the full set`;
    index.datasets.push(entry);
  }
  writeFileSync(join(out, "index.json"), JSON.stringify(index, null, 2));
  return index;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { train: { type: "string", default: "10000" }, test: { type: "string", default: "2000" }, out: { type: "string", default: "web/public/data" }, "if-missing": { type: "boolean", default: false } } });
  if (values["if-missing"] && existsSync(join(values.out!, "index.json"))) process.exit(0);
  const index = await buildLabData(values.out!, { train: Number(values.train), test: Number(values.test) });
  for (const d of index.datasets) console.log(`lab data: ${d.origin} -> ${values.out}/${d.name}/`);
}
