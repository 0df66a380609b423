/**
 * @module main/engine/raster/band-block
 * A block of raster data in memory: band-major (`data[band][row][col]`, i.e. index `(b * height + r) * width + c`).
 * Float32 for pixels flowing through the tile pipeline; Float64 for the quality indices.
 */

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
