/**
 * @module main/engine/io/read-raster
 * A whole raster file in memory as float64, every band: for checks and reports on small rasters (a demo scene, a
 * reference patch, a test output), never for scenes, which the engine reads by windows.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { gdal } from './gdal.ts';

export async function readWholeRaster(path: string): Promise<BandBlock<Float64Array>> {
  const ds = await gdal.openAsync(path);
  try {
    const { x: width, y: height } = ds.rasterSize;
    const bands = ds.bands.count();
    const plane = width * height;
    const data = new Float64Array(bands * plane);
    for (let b = 0; b < bands; b++) {
      await ds.bands.get(b + 1).pixels.readAsync(0, 0, width, height, data.subarray(b * plane, (b + 1) * plane), { data_type: 'Float64' });
    }
    return { bands, width, height, data };
  } finally {
    ds.close();
  }
}
