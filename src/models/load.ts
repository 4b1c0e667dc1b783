/**
 * Node's model loader: a folder (or its model.json) in tfjs's layers format, weights read from the manifest's paths
 * next to it. Every failure names the file: a missing or unreadable file, JSON that does not parse, or a model the
 * format checks in `fromArtifacts` refuse.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DataError } from "../core/errors.js";
import { fromArtifacts, type ModelJson } from "./io.js";
import { fromOnnx } from "./onnx.js";
import type { Sequential } from "./sequential.js";

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a folder, not a file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new DataError(`${what} ${path}: ${why}`, "pass an .onnx file, or the folder quirklab or tfjs saved the model in (model.json and its weights)");
  }
}

/** The bytes of a saved model: its model.json (parsed) and its weight files, concatenated in manifest order. */
export function readModelFiles(path: string): { jsonPath: string; modelJson: ModelJson; jsonBytes: Buffer; weights: Buffer } {
  const absolute = resolve(path);
  let isFolder = false;
  try {
    isFolder = statSync(absolute).isDirectory();
  } catch {
    // reported as a missing model.json below
  }
  const jsonPath = isFolder ? join(absolute, "model.json") : absolute;
  const jsonBytes = readBytes(jsonPath, "model file");
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(jsonBytes.toString("utf8")) as ModelJson;
  } catch (error) {
    throw new DataError(`${jsonPath}: not valid JSON (${(error as Error).message})`, "the file is damaged: save the model again");
  }
  const manifest = Array.isArray(modelJson?.weightsManifest) ? modelJson.weightsManifest : [];
  const paths = manifest.flatMap((group) => (Array.isArray(group?.paths) ? group.paths : []));
  const chunks = paths.map((p) => {
    if (typeof p !== "string" || p.includes("..") || p.startsWith("/")) throw new DataError(`${jsonPath}: weights path ${JSON.stringify(p)} must name a file beside model.json`);
    return readBytes(join(dirname(jsonPath), p), "weights file");
  });
  return { jsonPath, modelJson, jsonBytes, weights: Buffer.concat(chunks) };
}

export function loadModel(path: string): { model: Sequential; droppedSoftmax: boolean } {
  const { jsonPath, modelJson, weights } = readModelFiles(path);
  return fromArtifacts(modelJson, new Uint8Array(weights), jsonPath);
}

export const isOnnxPath = (path: string) => /\.onnx$/i.test(path);

/** A saved model in either format quirklab reads: an .onnx file, or a tfjs layers folder (or its model.json). */
export function loadAnyModel(path: string): { model: Sequential; droppedSoftmax: boolean; description: string } {
  if (isOnnxPath(path)) {
    const absolute = resolve(path);
    return fromOnnx(new Uint8Array(readBytes(absolute, "ONNX model")), absolute);
  }
  const { jsonPath, modelJson, weights } = readModelFiles(path);
  return { ...fromArtifacts(modelJson, new Uint8Array(weights), jsonPath), description: `tfjs layers model ${jsonPath}` };
}

/** The bytes a model's identity rests on (for fingerprints), without building it. */
export function modelFileBytes(path: string): Buffer[] {
  if (isOnnxPath(path)) return [readBytes(resolve(path), "ONNX model")];
  const { jsonBytes, weights } = readModelFiles(path);
  return [jsonBytes, weights];
}
