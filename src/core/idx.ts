/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun): 0x0000, an element-type byte, a dimension-count byte, the
 * dimensions as big-endian uint32, then the elements in big-endian row-major order. gzip-compressed files are
 * recognised by their magic bytes. Pure TS, so the browser lab reads the same files.
 */
import { gunzipSync, gzipSync } from "fflate";
import { DataError } from "./errors.js";

export type IdxType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxTensor {
  type: IdxType;
  dims: number[];
  data: IdxData;
}

const TYPE_CODES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: "uint8", bytes: 1 },
  0x09: { type: "int8", bytes: 1 },
  0x0b: { type: "int16", bytes: 2 },
  0x0c: { type: "int32", bytes: 4 },
  0x0d: { type: "float32", bytes: 4 },
  0x0e: { type: "float64", bytes: 8 },
};
const CODE_OF: Record<IdxType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (raw or gzip). `source` names the file in every error.
 * With `expectedDims` (null entries match anything) the shape is checked too.
 */
export function readIdx(input: Uint8Array, source: string, expectedDims?: (number | null)[]): IdxTensor {
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DataError(`${source}: corrupt gzip stream (${(error as Error).message})`, "re-download or re-extract the file");
    }
  }
  if (bytes.length < 4) throw new DataError(`${source}: file too short to be IDX (${bytes.length} bytes)`, "check the path points at an IDX file");
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(
      `${source}: wrong magic number 0x${hex(bytes[0]!)}${hex(bytes[1]!)}${hex(bytes[2]!)}${hex(bytes[3]!)} (IDX files start with 0x0000)`,
      "this is not an IDX file; MNIST-style files are named like train-images-idx3-ubyte[.gz]",
    );
  }
  const code = bytes[2]!;
  const kind = TYPE_CODES[code];
  if (!kind) {
    throw new DataError(
      `${source}: unsupported IDX element type 0x${hex(code)}`,
      "IDX types are 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64",
    );
  }
  const rank = bytes[3]!;
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerBytes) {
    throw new DataError(`${source}: truncated IDX header (rank ${rank}, ${bytes.length} bytes)`, "the file is incomplete; re-download it");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + count * kind.bytes;
  if (bytes.length < expectedBytes) {
    throw new DataError(
      `${source}: truncated IDX file: header says ${dims.join("x")} ${kind.type} (${expectedBytes} bytes) but the file has ${bytes.length}`,
      "the file is incomplete; re-download it",
    );
  }
  if (bytes.length > expectedBytes) {
    throw new DataError(
      `${source}: IDX count mismatch: header says ${dims.join("x")} ${kind.type} (${expectedBytes} bytes) but the file has ${bytes.length}`,
      "the header does not match the data; the file is corrupt or not what its name says",
    );
  }
  if (expectedDims) {
    const ok = expectedDims.length === dims.length && expectedDims.every((d, i) => d === null || d === dims[i]);
    if (!ok) {
      throw new DataError(
        `${source}: IDX shape ${dims.join("x")} does not match the expected ${expectedDims.map((d) => d ?? "N").join("x")}`,
        "check that images and labels files are not swapped and belong to the same set",
      );
    }
  }
  return { type: kind.type, dims, data: decode(view, headerBytes, count, kind.type) };
}

function decode(view: DataView, offset: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case "uint8":
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case "int8":
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case "int16": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function typeOfData(data: IdxData): IdxType {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Float32Array) return "float32";
  return "float64";
}

/** Encodes a typed array as IDX (the element type follows the array type); `gzip` compresses it. */
export function writeIdx(data: IdxData, dims: number[], options: { gzip?: boolean } = {}): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`writeIdx: dims ${dims.join("x")} hold ${count} elements, data has ${data.length}`);
  if (dims.length === 0 || dims.length > 255) throw new RangeError(`writeIdx: rank must be 1..255, got ${dims.length}`);
  const type = typeOfData(data);
  const size = TYPE_CODES[CODE_OF[type]]!.bytes;
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODE_OF[type];
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const at = header + i * size;
    const v = data[i]!;
    switch (type) {
      case "uint8":
        view.setUint8(at, v);
        break;
      case "int8":
        view.setInt8(at, v);
        break;
      case "int16":
        view.setInt16(at, v, false);
        break;
      case "int32":
        view.setInt32(at, v, false);
        break;
      case "float32":
        view.setFloat32(at, v, false);
        break;
      case "float64":
        view.setFloat64(at, v, false);
        break;
    }
  }
  return options.gzip ? gzipSync(out, { mtime: 0 }) : out;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
