/**
 * PNG and JPEG files to pixels in [0, 1] (fast-png and jpeg-js: pure JS, so the browser lab decodes the same way). Alpha
 * is dropped; 16-bit PNGs are scaled by 65535; palette PNGs are expanded to RGB.
 */
import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from "fast-png";
import jpeg from "jpeg-js";
import { DataError } from "../core/errors.js";

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** height x width x channels, row-major, in [0, 1]. */
  pixels: Float32Array;
}

const isJpeg = (bytes: Uint8Array) => bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

export function decodeImage(bytes: Uint8Array, source: string): DecodedImage {
  if (hasPngSignature(bytes)) {
    let png;
    try {
      png = decodePng(bytes);
    } catch (error) {
      throw new DataError(`${source}: not a readable PNG (${(error as Error).message})`);
    }
    let data: ArrayLike<number> = png.data;
    let channels = png.channels;
    if (png.palette) {
      data = convertIndexedToRgb(png);
      channels = png.palette[0]?.length ?? 3;
    }
    const scale = png.depth === 16 ? 65535 : png.depth === 8 || png.palette ? 255 : 2 ** png.depth - 1;
    return toImage(png.width, png.height, channels, data, scale);
  }
  if (isJpeg(bytes)) {
    let img;
    try {
      img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
    } catch (error) {
      throw new DataError(`${source}: not a readable JPEG (${(error as Error).message})`);
    }
    return toImage(img.width, img.height, 3, img.data, 255);
  }
  throw new DataError(`${source}: neither a PNG nor a JPEG file`, "put only .png and .jpg images in the class folders");
}

/** Keeps gray or RGB, drops alpha (gray+alpha -> gray, RGBA -> RGB). */
function toImage(width: number, height: number, channels: number, data: ArrayLike<number>, scale: number): DecodedImage {
  const keep: 1 | 3 = channels >= 3 ? 3 : 1;
  const pixels = new Float32Array(width * height * keep);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < keep; c++) pixels[p * keep + c] = data[p * channels + c]! / scale;
  return { width, height, channels: keep, pixels };
}

/** True when every pixel's three channels are equal: an RGB file of a gray image (JPEG decoders always give RGB). */
export function isGrayRgb(image: DecodedImage): boolean {
  if (image.channels === 1) return true;
  const p = image.pixels;
  for (let i = 0; i < p.length; i += 3) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}

export function toGray(image: DecodedImage): DecodedImage {
  if (image.channels === 1) return image;
  const pixels = new Float32Array(image.width * image.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = image.pixels[i * 3]!;
  return { ...image, channels: 1, pixels };
}
