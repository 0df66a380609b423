/**
 * @module main/engine/raster-stats/pixel-values
 * The value of every band of a raster at one map coordinate (the pixel inspector's spectral profile). The point is
 * given in the raster's CRS; outside the raster there is no value (null), and a nodata band value reads as null.
 */
import { InputError } from '../errors.ts';
import { openRaster } from '../io/raster-info.ts';

export interface PixelValuesOptions {
  readonly path: string;
  readonly x: number;
  readonly y: number;
}

/** Pixel (col, row) containing map point (x, y) for a north-up geotransform, or null when outside. */
export function pixelAt(gt: readonly number[], width: number, height: number, x: number, y: number): { col: number; row: number } | null {
  const col = Math.floor((x - gt[0]!) / gt[1]!);
  const row = Math.floor((y - gt[3]!) / gt[5]!);
  return col >= 0 && row >= 0 && col < width && row < height ? { col, row } : null;
}

export async function pixelValues(options: PixelValuesOptions): Promise<(number | null)[] | null> {
  const ds = await openRaster(options.path, 'raster');
  try {
    const gt = ds.geoTransform;
    if (!gt) throw new InputError('not-georeferenced', `raster has no geotransform: ${options.path}`, { path: options.path });
    const at = pixelAt(gt, ds.rasterSize.x, ds.rasterSize.y, options.x, options.y);
    if (!at) return null;
    const values: (number | null)[] = [];
    for (let n = 1; n <= ds.bands.count(); n++) {
      const band = ds.bands.get(n);
      const v = band.pixels.get(at.col, at.row);
      values.push(Number.isFinite(v) && v !== band.noDataValue ? v : null);
    }
    return values;
  } finally {
    ds.close();
  }
}
