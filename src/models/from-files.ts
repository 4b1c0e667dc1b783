/**
 * A model from files the user handed over by name (dropped into the browser lab): an .onnx file, or a model.json and
 * the weight files its manifest names. Pure: no file system; every error names the file that is missing or wrong.
 */
import { DataError } from "../core/errors.js";
import { fromArtifacts, type ModelJson } from "./io.js";
import { fromOnnx } from "./onnx.js";
import type { Sequential } from "./sequential.js";

/** Which of the files is the model: the .onnx file, or the model.json (any *.json) beside its weights. */
export function modelEntry(files: ReadonlyMap<string, Uint8Array>): string {
  const names = [...files.keys()];
  const onnx = names.filter((n) => /\.onnx$/i.test(n));
  const json = names.filter((n) => /\.json$/i.test(n));
  if (onnx.length + json.length === 1) return onnx[0] ?? json[0]!;
  if (onnx.length + json.length === 0) throw new DataError(`no model among ${names.join(", ") || "the files given"}`, "drop an .onnx file, or a model.json with its weight files (.bin)");
  throw new DataError(`several models among the files given (${[...onnx, ...json].join(", ")})`, "drop one model at a time: one .onnx file, or one model.json with its weights");
}

export function modelFromFiles(files: ReadonlyMap<string, Uint8Array>, name: string): { model: Sequential; droppedSoftmax: boolean; description: string } {
  const bytes = files.get(name);
  if (!bytes) throw new DataError(`${name} is not among the files given (${[...files.keys()].join(", ")})`, "drop the model's files again");
  if (/\.onnx$/i.test(name)) return fromOnnx(bytes, name);
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(bytes)) as ModelJson;
  } catch (error) {
    throw new DataError(`${name}: not valid JSON (${(error as Error).message})`, "drop the model.json that tfjs or quirklab wrote");
  }
  const paths = Array.isArray(modelJson?.weightsManifest) ? modelJson.weightsManifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths : [])) : [];
  const chunks = paths.map((p) => {
    // the manifest may name a path (./group1-shard1of1.bin); a dropped file has its base name only
    const base = String(p).split("/").at(-1)!;
    const chunk = files.get(base);
    if (!chunk) throw new DataError(`${name} needs the weights file ${base}, which was not dropped with it`, `drop ${[name, ...paths.map((q) => String(q).split("/").at(-1))].join(" + ")} together`);
    return chunk;
  });
  const weights = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    weights.set(c, offset);
    offset += c.length;
  }
  return { ...fromArtifacts(modelJson, weights, name), description: `tfjs layers model ${name}` };
}
