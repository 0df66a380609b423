/**
 * @module main/engine/metrics/psnr
 * PSNR in dB, our definition (the toolbox has none): `10·log10(peak² / MSE)` with MSE the mean squared error over
 * all bands and pixels together, and `peak = 2^L − 1` for L-bit data (2047 for the 11-bit WorldView/IKONOS
 * products; pass the product's bit depth, not the container's 16). MSE == 0 gives +Infinity.
 * NaN handling: pixels with a non-finite value in any band of either image are left out.
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';
import { assertSameShape } from './shape-check.ts';
import { countMasked, invalidMask } from './valid-pixels.ts';

export interface PsnrOptions {
  /** Bits per sample of the product (e.g. 11): peak = 2^bitDepth − 1. */
  readonly bitDepth: number;
}

export function psnrPeak(bitDepth: number): number {
  if (!(Number.isInteger(bitDepth) && bitDepth >= 1 && bitDepth <= 32)) {
    throw new InputError('bad-bit-depth', `PSNR bit depth ${bitDepth} is not an integer in 1…32`, { bitDepth });
  }
  return 2 ** bitDepth - 1;
}

/** Σ squared error and count of (pixel, band) samples; tiles add into the same object. */
export interface SquaredErrorSum {
  sum: number;
  count: number;
}

/** Adds Σ squared error over `rect` (default: the whole block); `mask` (1 = invalid pixel) over the whole block. */
export function addSquaredError(
  ref: BandBlock<Float64Array>,
  fused: BandBlock<Float64Array>,
  mask: Uint8Array | null,
  acc: SquaredErrorSum,
  rect: PixelWindow = rasterWindow(ref.width, ref.height),
): void {
  const { width } = ref;
  const [c0, c1] = [rect.colOff, rect.colOff + rect.width];
  const plane = width * ref.height;
  for (let b = 0; b < ref.bands; b++) {
    let s = 0;
    for (let row = rect.rowOff; row < rect.rowOff + rect.height; row++) {
      const o = b * plane + row * width;
      for (let i = o + c0; i < o + c1; i++) {
        if (mask && mask[i - b * plane]) continue;
        const e = ref.data[i]! - fused.data[i]!;
        s += e * e;
      }
    }
    acc.sum += s;
  }
  acc.count += (rect.width * rect.height - countMasked(mask, width, rect)) * ref.bands;
}

export function psnrFromSum(acc: SquaredErrorSum, bitDepth: number): number {
  const peak = psnrPeak(bitDepth);
  return 10 * Math.log10((peak * peak) / (acc.sum / acc.count));
}

/** PSNR (dB) of `fused` against `ref` (same shape; InputError otherwise). */
export function psnr(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, options: PsnrOptions): number {
  assertSameShape(ref, fused, ['reference', 'fused'], 'PSNR');
  psnrPeak(options.bitDepth);
  const acc: SquaredErrorSum = { sum: 0, count: 0 };
  addSquaredError(ref, fused, invalidMask(ref, fused), acc);
  return psnrFromSum(acc, options.bitDepth);
}
