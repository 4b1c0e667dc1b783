/**
 * numpy's .npy format (version 1.0-3.0) and .npz archives (a zip of .npy files, stored or deflated), the way most
 * researchers hand arrays over. Little-endian or byte-order-free numeric dtypes in C order; anything else is refused
 * with the file and the reason. Pure: the caller reads the bytes.
 */
import { unzipSync } from "fflate";
import { DataError } from "../core/errors.js";

export interface NpyArray {
  shape: number[];
  /** numpy's dtype string, e.g. "|u1", "<f4". */
  dtype: string;
  values: Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const TYPES: Record<string, { bytes: number; read: (buffer: ArrayBuffer, count: number) => NpyArray["values"] }> = {
  u1: { bytes: 1, read: (b, n) => new Uint8Array(b, 0, n) },
  b1: { bytes: 1, read: (b, n) => new Uint8Array(b, 0, n) },
  i1: { bytes: 1, read: (b, n) => new Int8Array(b, 0, n) },
  i2: { bytes: 2, read: (b, n) => new Int16Array(b, 0, n) },
  u2: { bytes: 2, read: (b, n) => new Uint16Array(b, 0, n) },
  i4: { bytes: 4, read: (b, n) => new Int32Array(b, 0, n) },
  u4: { bytes: 4, read: (b, n) => new Uint32Array(b, 0, n) },
  // 64-bit integers (numpy's default for labels) are read as doubles: exact up to 2^53, far beyond any label
  i8: { bytes: 8, read: (b, n) => Float64Array.from(new BigInt64Array(b, 0, n), Number) },
  u8: { bytes: 8, read: (b, n) => Float64Array.from(new BigUint64Array(b, 0, n), Number) },
  f4: { bytes: 4, read: (b, n) => new Float32Array(b, 0, n) },
  f8: { bytes: 8, read: (b, n) => new Float64Array(b, 0, n) },
};

/** The header's Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } */
function parseHeader(text: string, source: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) throw new DataError(`${source}: not a .npy file: its header has no descr, fortran_order and shape (${JSON.stringify(text.slice(0, 80))})`);
  const dims = shape
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : Number.NaN));
  if (dims.some((d) => !Number.isSafeInteger(d))) throw new DataError(`${source}: shape (${shape}) is not a tuple of sizes`);
  return { descr, fortran: fortran === "True", shape: dims };
}

export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new DataError(`${source}: not a .npy file (it does not start with \\x93NUMPY)`, "save the array with numpy.save");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError(`${source}: truncated .npy header`);
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new DataError(`${source}: .npy format version ${major}.${bytes[7]} is not supported (1.0 to 3.0 are)`);
  }
  if (start + headerLength > bytes.length) throw new DataError(`${source}: truncated .npy header (${headerLength} bytes announced, ${bytes.length - start} present)`);
  const header = parseHeader(new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + headerLength)), source);
  if (header.fortran) throw new DataError(`${source}: the array is in Fortran order`, "save a C-ordered copy: numpy.save(path, numpy.ascontiguousarray(a))");
  const order = header.descr[0];
  const code = header.descr.slice(1);
  const type = TYPES[code];
  if (!type || !(order === "<" || order === "|" || (order === "=" && type.bytes === 1))) {
    const why = order === ">" ? "big-endian" : "not a plain numeric type";
    throw new DataError(`${source}: dtype ${header.descr} is ${why}`, "save it as uint8, int32/int64 or float32/float64 (little-endian): a.astype('<f4')");
  }
  const count = header.shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  const expected = count * type.bytes;
  if (bytes.length - dataStart !== expected) {
    throw new DataError(`${source}: ${bytes.length - dataStart} bytes of data, but shape (${header.shape.join(", ")}) of ${header.descr} needs ${expected}`, "the file is truncated or damaged: save it again");
  }
  // a copy aligned for the typed array: the data may start at any offset, and a Node Buffer's slice() is a view of a
  // shared pool, not a copy
  const aligned = new Uint8Array(expected);
  aligned.set(bytes.subarray(dataStart, dataStart + expected));
  return { shape: header.shape, dtype: header.descr, values: type.read(aligned.buffer, count) };
}

/** Every array of an .npz archive, by name without the .npy suffix. */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new DataError(`${source}: not a readable .npz (zip) archive (${(error as Error).message})`, "save it with numpy.savez or numpy.savez_compressed");
  }
  const out = new Map<string, NpyArray>();
  for (const [member, content] of Object.entries(files)) {
    if (!member.endsWith(".npy")) continue;
    out.set(member.slice(0, -4), parseNpy(content, `${source}:${member}`));
  }
  if (out.size === 0) throw new DataError(`${source}: the archive holds no .npy arrays`);
  return out;
}

/** Writes a .npy (version 1.0) of float32 or uint8 values: tests and users' round trips. */
export function writeNpy(values: Float32Array | Uint8Array | Int32Array, shape: number[]): Uint8Array {
  const descr = values instanceof Float32Array ? "<f4" : values instanceof Int32Array ? "<i4" : "|u1";
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  // numpy pads the header with spaces so the data starts on a 64-byte boundary, ending in a newline
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, " ") + "\n";
  const out = new Uint8Array(total + values.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), total);
  return out;
}
