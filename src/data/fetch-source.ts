/**
 * The browser lab's data source: compact IDX subsets served as static files next to the page, described by an
 * `index.json` that `scripts/build-lab-data.ts` writes at build time. Uses only `fetch`, so it runs in a page, a Web
 * Worker, or Node (with a fetch that reads files, as the tests do).
 */
import { DataError } from "../core/errors.js";
import type { Dataset, DataSource } from "./dataset.js";
import { datasetFromIdx } from "./idx-dataset.js";

/** One dataset of the lab's bundle: how many examples it ships and how they were drawn. */
export interface BundledDataset {
  name: string;
  train: number;
  test: number;
  /** Where the examples come from and how they were chosen, for reports. */
  origin: string;
}

export interface DataBundleIndex {
  datasets: BundledDataset[];
}

export const BUNDLE_FILES = {
  train: { images: "train-images-idx3-ubyte.gz", labels: "train-labels-idx1-ubyte.gz" },
  test: { images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz" },
} as const;

type Fetcher = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer>; json(): Promise<unknown> }>;

export class FetchDataSource implements DataSource {
  private index: Promise<DataBundleIndex> | null = null;
  private cache = new Map<string, Promise<Dataset>>();

  /** `base` is the folder URL holding index.json, ending in "/". */
  constructor(
    private readonly base: string,
    private readonly fetcher: Fetcher = (url) => fetch(url),
  ) {}

  private async get(path: string): Promise<Awaited<ReturnType<Fetcher>>> {
    const url = this.base + path;
    let response;
    try {
      response = await this.fetcher(url);
    } catch (error) {
      throw new DataError(`could not fetch ${url}: ${(error as Error).message}`, "serve the lab with `quirklab lab` (the data files sit next to the page)");
    }
    if (!response.ok) throw new DataError(`could not fetch ${url}: HTTP ${response.status}`, "rebuild the lab's data with `npm run build:lab`");
    return response;
  }

  bundle(): Promise<DataBundleIndex> {
    this.index ??= this.get("index.json").then((r) => r.json() as Promise<DataBundleIndex>);
    return this.index;
  }

  async available(): Promise<string[]> {
    return (await this.bundle()).datasets.map((d) => d.name);
  }

  load(name: string, split: "train" | "test"): Promise<Dataset> {
    const cacheKey = key(name, split);
    let pending = this.cache.get(cacheKey);
    if (!pending) {
      pending = this.fetchSplit(name, split);
      // A failed fetch is not cached: the user may fix the server and try again.
      pending.catch(() => this.cache.delete(cacheKey));
      this.cache.set(cacheKey, pending);
    }
    return pending;
  }

  private async fetchSplit(name: string, split: "train" | "test"): Promise<Dataset> {
    const entry = (await this.bundle()).datasets.find((d) => d.name === name);
    if (!entry) {
      const names = (await this.available()).join(", ");
      throw new DataError(`dataset "${name}" is not in the lab's data bundle`, `use one of: ${names} (the lab ships compact subsets; the CLI reads the full sets)`);
    }
    const files = BUNDLE_FILES[split];
    const [images, labels] = await Promise.all([this.get(`${name}/${files.images}`), this.get(`${name}/${files.labels}`)]);
    const imageBytes = new Uint8Array(await images.arrayBuffer());
    const labelBytes = new Uint8Array(await labels.arrayBuffer());
    return datasetFromIdx(imageBytes, `${name}/${files.images}`, labelBytes, `${name}/${files.labels}`, `${key(name, split)} (lab subset of ${entry[split]})`);
  }
}

function key(name: string, split: string): string {
  return `${name}/${split}`;
}
