/**
 * @module main/engine/raster/band-block
 * A block of raster data in memory: band-major (`data[band][row][col]`, i.e. index `(b * height + r) * width + c`).
 * Float32 for pixels flowing through the tile pipeline; Float64 for the quality indices.
 */
import { containsWindow, type PixelWindow, rasterWindow } from './pixel-window.ts';

export type PixelArray = Float32Array | Float64Array;

export interface BandBlock<T extends PixelArray = Float32Array> {
  readonly bands: number;
  readonly width: number;
  readonly height: number;
  readonly data: T;
}

export function createBlock(bands: number, width: number, height: number): BandBlock<Float32Array> {
  return { bands, width, height, data: new Float32Array(bands * width * height) };
}

export function createBlock64(bands: number, width: number, height: number): BandBlock<Float64Array> {
  return { bands, width, height, data: new Float64Array(bands * width * height) };
}

/** A view of one band's pixels (no copy). */
export function bandView<T extends PixelArray>(block: BandBlock<T>, bandIndex: number): T {
  const size = block.width * block.height;
  return block.data.subarray(bandIndex * size, (bandIndex + 1) * size) as T;
}

export function toFloat64(block: BandBlock<PixelArray>): BandBlock<Float64Array> {
  return { bands: block.bands, width: block.width, height: block.height, data: Float64Array.from(block.data) };
}

/** A copy of `window` (the block's own pixel coordinates, inside it) of every band of `block`. */
export function cropBlock<T extends PixelArray>(block: BandBlock<T>, window: PixelWindow): BandBlock<T> {
  if (!containsWindow(rasterWindow(block.width, block.height), window)) {
    throw new Error(`crop window ${JSON.stringify(window)} leaves the ${block.width}×${block.height} block`);
  }
  const { width, height } = window;
  const size = block.bands * width * height;
  const data = (block.data instanceof Float64Array ? new Float64Array(size) : new Float32Array(size)) as T;
  for (let b = 0; b < block.bands; b++) {
    for (let r = 0; r < height; r++) {
      const from = (b * block.height + window.rowOff + r) * block.width + window.colOff;
      data.set(block.data.subarray(from, from + width), (b * height + r) * width);
    }
  }
  return { bands: block.bands, width, height, data };
}
