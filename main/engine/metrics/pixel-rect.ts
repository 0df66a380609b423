/**
 * @module main/engine/metrics/pixel-rect
 * A half-open rectangle [r0, r1) × [c0, c1) in one block's own pixel coordinates: the part of a tile (its core)
 * that an accumulator sums over, while the block itself may carry a halo around it.
 */
import type { BandBlock, PixelArray } from '../raster/band-block.ts';

export interface PixelRect {
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
}

export function wholeRect(b: BandBlock<PixelArray>): PixelRect {
  return { r0: 0, r1: b.height, c0: 0, c1: b.width };
}

/** Invalid pixels of `mask` (1 = invalid, row-major over `width`) inside `rect`. */
export function countMasked(mask: Uint8Array | null, width: number, rect: PixelRect): number {
  if (!mask) return 0;
  let n = 0;
  for (let r = rect.r0; r < rect.r1; r++) for (let c = rect.c0; c < rect.c1; c++) n += mask[r * width + c]!;
  return n;
}

/** A copy of `rect` of every band of `b`. */
export function cropBlock(b: BandBlock<Float64Array>, rect: PixelRect): BandBlock<Float64Array> {
  const width = rect.c1 - rect.c0;
  const height = rect.r1 - rect.r0;
  const data = new Float64Array(b.bands * width * height);
  for (let band = 0; band < b.bands; band++) {
    for (let r = 0; r < height; r++) {
      const src = (band * b.height + rect.r0 + r) * b.width + rect.c0;
      data.set(b.data.subarray(src, src + width), (band * height + r) * width);
    }
  }
  return { bands: b.bands, width, height, data };
}
