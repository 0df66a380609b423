/**
 * @module main/engine/write/content-hash
 * An order-independent hash of raster content (per band: the sum, mod 2^32, of a mix of each pixel's position and
 * value bits), so a writer can hash the blocks it hands to GDAL in any order and compare with the file read back
 * in strips. GDAL's GTiff driver does not report a failed flush or close (disk full, I/O error) through
 * gdal-async, so reading back is how a write is known to be complete: a truncated file fails to read, a block
 * that never reached the disk reads as something else.
 */
import type { Dataset } from '../io/gdal.ts';

export type PixelArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

const CANONICAL_NAN_BITS = 0x7fc00000;

function mix(x: number, y: number, bits: number): number {
  let k = bits ^ Math.imul(x + 1, 0x9e3779b1) ^ Math.imul(y + 1, 0x85ebca77);
  k = Math.imul(k ^ (k >>> 15), 0x2c1b3c6d);
  k = Math.imul(k ^ (k >>> 12), 0x297a2d39);
  return k ^ (k >>> 15);
}

/** Adds a width×height window at (colOff, rowOff) of one band to `sum`; returns the new sum. */
export function hashWindow(sum: number, colOff: number, rowOff: number, width: number, height: number, values: PixelArray): number {
  const isFloat = values instanceof Float32Array || values instanceof Float64Array;
  const f32 = new Float32Array(1);
  const bits32 = new Uint32Array(f32.buffer);
  let s = sum | 0;
  for (let r = 0; r < height; r++) {
    const y = rowOff + r;
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c]!;
      let bits: number;
      if (isFloat) {
        if (v !== v) bits = CANONICAL_NAN_BITS;
        else {
          f32[0] = v;
          bits = bits32[0]!;
        }
      } else bits = v | 0;
      s = (s + mix(colOff + c, y, bits)) | 0;
    }
  }
  return s;
}

function arrayFor(dataType: string, length: number): PixelArray {
  switch (dataType) {
    case 'Byte':
      return new Uint8Array(length);
    case 'UInt16':
      return new Uint16Array(length);
    case 'Int16':
      return new Int16Array(length);
    case 'UInt32':
      return new Uint32Array(length);
    case 'Int32':
      return new Int32Array(length);
    default:
      return new Float32Array(length);
  }
}

/** Reads every band of `ds` back at full resolution, in strips, and returns the per-band hashes. */
export async function hashDataset(ds: Dataset, dataType: string, stripRows = 256): Promise<number[]> {
  const width = ds.rasterSize.x;
  const height = ds.rasterSize.y;
  const hashes: number[] = [];
  for (let b = 1; b <= ds.bands.count(); b++) {
    const band = ds.bands.get(b);
    let sum = 0;
    for (let row = 0; row < height; row += stripRows) {
      const rows = Math.min(stripRows, height - row);
      const buf = arrayFor(dataType, width * rows);
      await band.pixels.readAsync(0, row, width, rows, buf);
      sum = hashWindow(sum, 0, row, width, rows, buf);
    }
    hashes.push(sum);
  }
  return hashes;
}

/**
 * Reads every pixel of a just-written file once (what GDAL's translate wrote, whose errors gdal-async does not
 * report): a truncated or unwritable file fails here instead of being renamed into place.
 */
export async function readBackFully(ds: Dataset): Promise<void> {
  const dataType = ds.bands.count() > 0 ? (ds.bands.get(1).dataType ?? 'Float32') : 'Float32';
  await hashDataset(ds, dataType);
}
