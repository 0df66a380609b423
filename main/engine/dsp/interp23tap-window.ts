/**
 * @module main/engine/dsp/interp23tap-window
 * One window of `interp23tap(image, ratio)` without upsampling the whole image: the window's low-resolution pixels
 * plus a halo, gathered with the image's circular border (indices wrapped modulo the image size), are upsampled and
 * the halo is cropped off. Each ×2 step reaches 6 samples on each side, so after two steps an output pixel depends on
 * low-resolution pixels at most 9 away; with a halo of 10 the circular wrap of the small block never reaches the
 * kept pixels, and the result equals the whole-image one exactly (same sums in the same order).
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { containsWindow, type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';
import { interp23tap } from './interp23tap.ts';

/** Low-resolution pixels of context on each side (9 are needed; see the module note). */
export const INTERP23TAP_HALO = 10;

/** Gathers low-resolution pixels: result pixel (r, c) is image pixel (rows[r], cols[c]). */
export type Gather = (rows: Int32Array, cols: Int32Array) => Promise<BandBlock<Float64Array>>;

/** Indices start … start + count − 1, wrapped modulo n (the toolbox's circular border). */
export function wrappedRange(start: number, count: number, n: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = (((start + i) % n) + n) % n;
  return out;
}

export interface Interp23tapWindowOptions {
  /** Reads the low-resolution image at the given (wrapped) indices. */
  readonly gather: Gather;
  /** Size of the whole low-resolution image. */
  readonly width: number;
  readonly height: number;
  /** The window, in low-resolution pixels; the result covers it × ratio. */
  readonly window: PixelWindow;
  readonly ratio: number;
}

export async function interp23tapWindow(options: Interp23tapWindowOptions): Promise<BandBlock<Float64Array>> {
  const { gather, width, height, window, ratio } = options;
  if (!containsWindow(rasterWindow(width, height), window)) {
    throw new InputError('window-outside', `interp23tap window ${JSON.stringify(window)} leaves the ${width}×${height} image`, { window, width, height });
  }
  const h = INTERP23TAP_HALO;
  const lr = await gather(wrappedRange(window.rowOff - h, window.height + 2 * h, height), wrappedRange(window.colOff - h, window.width + 2 * h, width));
  const up = interp23tap(lr, ratio);
  const outW = window.width * ratio;
  const outH = window.height * ratio;
  const data = new Float64Array(up.bands * outW * outH);
  const skip = h * ratio;
  for (let b = 0; b < up.bands; b++) {
    for (let r = 0; r < outH; r++) {
      const src = (b * up.height + skip + r) * up.width + skip;
      data.set(up.data.subarray(src, src + outW), (b * outH + r) * outW);
    }
  }
  return { bands: up.bands, width: outW, height: outH, data };
}

/** A Gather over an in-memory block (tests, and the low-passed PAN held at low resolution). */
export function gatherFromBlock(block: BandBlock<Float64Array>): Gather {
  return async (rows, cols) => {
    const { bands, width, height } = block;
    const w = cols.length;
    const hgt = rows.length;
    const data = new Float64Array(bands * w * hgt);
    for (let b = 0; b < bands; b++) {
      for (let r = 0; r < hgt; r++) {
        const src = (b * height + rows[r]!) * width;
        const dst = (b * hgt + r) * w;
        for (let c = 0; c < w; c++) data[dst + c] = block.data[src + cols[c]!]!;
      }
    }
    return { bands, width: w, height: hgt, data };
  };
}
