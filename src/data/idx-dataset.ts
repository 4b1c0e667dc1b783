/** IDX bytes (images and labels, gzipped or not) to a Dataset: shared by Node's file reader and the browser's fetch. */
import { DataError } from "../core/errors.js";
import { readIdx } from "../core/idx.js";
import { makeDataset, type Dataset } from "./dataset.js";

export function datasetFromIdx(imageBytes: Uint8Array, imagesSource: string, labelBytes: Uint8Array, labelsSource: string, name: string, classes = 10): Dataset {
  const images = readIdx(imageBytes, imagesSource);
  const labels = readIdx(labelBytes, labelsSource);
  if (images.dims.length < 3) throw new DataError(`${imagesSource}: expected images of rank >= 3 (N x rows x cols), got ${images.dims.join("x")}`);
  if (labels.dims.length !== 1) throw new DataError(`${labelsSource}: expected a rank-1 labels file, got ${labels.dims.join("x")}`);
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataError(`${name}: ${imagesSource} holds ${images.dims[0]} images but ${labelsSource} holds ${labels.dims[0]} labels`, "use images and labels of the same set");
  }
  const scale = images.type === "uint8" ? 1 / 255 : 1;
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! * scale;
  const shape = images.dims.slice(1);
  if (shape.length === 2) shape.push(1);
  return makeDataset(name, x, Int32Array.from(labels.data), shape, classes);
}
