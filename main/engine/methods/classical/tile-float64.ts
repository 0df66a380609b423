/**
 * @module main/engine/methods/classical/tile-float64
 * The baselines compute in float64 (as the toolbox does) on each tile and hand Float32 back to the pipeline.
 */
import { toFloat64, type BandBlock } from '../../raster/band-block.ts';

export { toFloat64 };

export function toFloat32(block: BandBlock<Float64Array>): BandBlock {
  return { bands: block.bands, width: block.width, height: block.height, data: Float32Array.from(block.data) };
}

/** Band `b` of a band-major block as a view. */
export function plane<T extends Float64Array | Float32Array>(block: BandBlock<T>, b: number): T {
  const size = block.width * block.height;
  return block.data.subarray(b * size, (b + 1) * size) as T;
}
