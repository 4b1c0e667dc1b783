/**
 * A user's dataset on disk, whatever its format: IDX files (MNIST's), an .npz archive or a folder of .npy files
 * (x_train, y_train, x_test, y_test: Keras' own layout), CIFAR-10's binary batches, or an image folder with one
 * subfolder per class (train/ and test/ above them, or the class folders alone as a test set). The format is
 * recognised from what is there; anything else stops with what was found and what was expected.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { DataError } from "../core/errors.js";
import { makeDataset, type Dataset } from "./dataset.js";
import { parseNpy, parseNpz, type NpyArray } from "./npy.js";
import { datasetFromArrays, labelsOf } from "./arrays.js";
import { parseCifar10Batch } from "./cifar.js";
import { decodeImage, isGrayRgb, toGray, type DecodedImage } from "./images.js";

export type Split = "train" | "test";

export interface DataFolder {
  kind: "idx" | "npz" | "npy" | "cifar10" | "images";
  /** Every file the dataset's content comes from (both splits): the run id's fingerprint hashes them. */
  files(): { label: string; path: string }[];
  load(split: Split, name: string): Dataset;
}

function read(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new DataError(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "check the file's permissions");
  }
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();
const IMAGE = /\.(png|jpe?g)$/i;

/** Arrays by name: an .npz archive's members, or a folder's .npy files. */
function arraysFolder(kind: "npz" | "npy", path: string): DataFolder {
  const npyPath = (array: string) => join(path, `${array}.npy`);
  let archive: Map<string, NpyArray> | null = null;
  const arrays = (name: string): Map<string, NpyArray> => {
    if (kind === "npz") return (archive ??= parseNpz(read(path, name), path));
    const out = new Map<string, NpyArray>();
    for (const file of readdirSync(path)) if (file.endsWith(".npy")) out.set(file.slice(0, -4), parseNpy(read(join(path, file), name), join(path, file)));
    return out;
  };
  const where = (array: string) => (kind === "npz" ? `${path}:${array}.npy` : npyPath(array));
  return {
    kind,
    files: () => (kind === "npz" ? [{ label: "npz", path }] : readdirSync(path).filter((f) => f.endsWith(".npy")).sort().map((f) => ({ label: f, path: join(path, f) }))),
    load(split, name) {
      const all = arrays(name);
      // x_train / x_test (Keras' mnist.npz), or x / y alone: one set, served as the test split
      const single = !all.has("x_train") && !all.has("x_test") && all.has("x");
      const xName = single ? "x" : `x_${split}`;
      const yName = single ? "y" : `y_${split}`;
      const x = all.get(xName);
      const y = all.get(yName);
      if (single && split === "train") throw new DataError(`${name}: ${path} holds one set (x, y), used as the test split; there is no training split`, "inspect it with --set data.split=test (the default), or save x_train, y_train, x_test, y_test");
      if (!x || !y) throw new DataError(`${name}: ${path} has no arrays ${xName} and ${yName} (found: ${[...all.keys()].join(", ")})`, "save x_train, y_train, x_test, y_test (numpy.savez), or x and y for one set");
      // the class count comes from every label array, so both splits agree on it
      let classes = 0;
      for (const [array, values] of all) if (/^y(_train|_test)?$/.test(array)) for (const label of labelsOf(values, where(array))) classes = Math.max(classes, label + 1);
      return datasetFromArrays(x, y, `${name}/${split}`, classes, { x: where(xName), y: where(yName) });
    },
  };
}

function cifarFolder(path: string): DataFolder {
  const batches = (split: Split) => (split === "test" ? ["test_batch.bin"] : [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).filter((f) => existsSync(join(path, f))));
  return {
    kind: "cifar10",
    files: () => [...batches("train"), ...batches("test")].map((f) => ({ label: f, path: join(path, f) })),
    load(split, name) {
      const files = batches(split);
      if (files.length === 0) throw new DataError(`${name}: ${path} has no data_batch_*.bin files (the CIFAR-10 training split)`);
      const parts = files.map((f) => parseCifar10Batch(read(join(path, f), name), join(path, f)));
      const n = parts.reduce((s, p) => s + p.n, 0);
      const x = new Float32Array(n * 32 * 32 * 3);
      const y = new Int32Array(n);
      let at = 0;
      for (const p of parts) {
        x.set(p.x, at * 32 * 32 * 3);
        y.set(p.y, at);
        at += p.n;
      }
      return makeDataset(`${name}/${split}`, x, y, [32, 32, 3], 10);
    },
  };
}

/** Class subfolders holding at least one image, sorted by name. */
function classFolders(path: string): string[] {
  return readdirSync(path)
    .filter((d) => isDir(join(path, d)) && readdirSync(join(path, d)).some((f) => IMAGE.test(f)))
    .sort();
}

function imageFolder(path: string): DataFolder {
  const splitDir = (split: Split) => (isDir(join(path, "train")) || isDir(join(path, "test")) ? join(path, split) : split === "test" ? path : null);
  // one class list for both splits, so a label means the same class in each
  const classes = () => [...new Set([...(["train", "test"] as const).flatMap((s) => { const d = splitDir(s); return d && isDir(d) ? classFolders(d) : []; })])].sort();
  const imagesOf = (split: Split) => {
    const dir = splitDir(split);
    if (!dir || !isDir(dir)) return [];
    return classes().flatMap((c, label) => (isDir(join(dir, c)) ? readdirSync(join(dir, c)).filter((f) => IMAGE.test(f)).sort().map((f) => ({ path: join(dir, c, f), label })) : []));
  };
  return {
    kind: "images",
    files: () => (["train", "test"] as const).flatMap((s) => imagesOf(s).map((img) => ({ label: `${s}/${basename(join(img.path, ".."))}/${basename(img.path)}`, path: img.path }))),
    load(split, name) {
      const list = imagesOf(split);
      if (list.length === 0) {
        const dir = splitDir(split);
        throw new DataError(`${name}: no ${split} images in ${dir ?? path}`, dir ? "put one subfolder of .png/.jpg images per class there" : "an image folder without train/ and test/ is a test set only: use --set data.split=test");
      }
      let images: DecodedImage[] = list.map((img) => decodeImage(read(img.path, name), img.path));
      const first = images[0]!;
      images.forEach((img, i) => {
        if (img.width !== first.width || img.height !== first.height) {
          throw new DataError(`${name}: ${list[i]!.path} is ${img.width}x${img.height}, but ${list[0]!.path} is ${first.width}x${first.height}`, "resize every image to one size first (quirklab does not resize)");
        }
      });
      // gray if every image is (JPEG decoders return gray images as RGB), else RGB with gray images repeated
      const gray = images.every(isGrayRgb);
      images = images.map((img) => (gray ? toGray(img) : img));
      const channels = gray ? 1 : 3;
      const size = first.width * first.height * channels;
      const x = new Float32Array(images.length * size);
      images.forEach((img, i) => {
        if (img.channels === channels) x.set(img.pixels, i * size);
        else for (let p = 0; p < first.width * first.height; p++) for (let c = 0; c < 3; c++) x[i * size + p * 3 + c] = img.pixels[p]!;
      });
      return makeDataset(`${name}/${split}`, x, Int32Array.from(list, (img) => img.label), [first.height, first.width, channels], classes().length);
    },
  };
}

const IDX_FILES = ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"];

/**
 * The format of a dataset folder or file, recognised from its contents; null for an IDX folder, or a folder that does
 * not exist (the caller's IDX reader reports that, naming the files it expects).
 */
export function openDataFolder(path: string, name: string): DataFolder | null {
  if (!existsSync(path)) {
    // a missing folder is reported by the IDX reader, with the files it looks for; a missing archive here
    if (/\.npz$/i.test(path)) throw new DataError(`${name}: ${path} does not exist`, "check the path given with --data or --data-dir");
    return null;
  }
  if (!isDir(path)) {
    if (extname(path).toLowerCase() === ".npz") return arraysFolder("npz", path);
    throw new DataError(`${name}: ${path} is a file; quirklab reads .npz archives or data folders`, "pass an .npz file, or a folder of IDX files, .npy arrays, CIFAR-10 batches or class subfolders of images");
  }
  const entries = readdirSync(path);
  if (IDX_FILES.some((f) => entries.includes(f) || entries.includes(`${f}.gz`))) return null;
  if (entries.some((f) => /^x(_train|_test)?\.npy$/.test(f))) return arraysFolder("npy", path);
  if (entries.includes("test_batch.bin") || entries.includes("data_batch_1.bin")) return cifarFolder(path);
  if (entries.includes("cifar-10-batches-bin") && isDir(join(path, "cifar-10-batches-bin"))) return cifarFolder(join(path, "cifar-10-batches-bin"));
  const image = imageFolder(path);
  if (image.files().length > 0) return image;
  throw new DataError(
    `${name}: ${path} holds no dataset quirklab recognises (found: ${entries.slice(0, 8).join(", ") || "nothing"}${entries.length > 8 ? ", ..." : ""})`,
    "expected IDX files (train-images-idx3-ubyte...), x_train.npy/y_train.npy/x_test.npy/y_test.npy, CIFAR-10's data_batch_*.bin/test_batch.bin, or one subfolder of .png/.jpg images per class (under train/ and test/, or alone as a test set)",
  );
}
