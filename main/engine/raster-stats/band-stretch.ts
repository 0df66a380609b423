/**
 * @module main/engine/raster-stats/band-stretch
 * Per-band statistics for the map's contrast stretch: the 2nd and 98th percentiles and the range, from a decimated
 * read of the whole raster (GDAL averages down to at most `sampleSizePx` on the long side), skipping nodata and
 * non-finite values. The renderer turns these into a style; the engine never changes pixels for display.
 */
import type { BandStats } from '../../../preload/contract.ts';
import { openRaster } from '../io/raster-info.ts';

export type { BandStats };

/** Percentile stretch of one band's samples; `noData` values and non-finite values are ignored. */
export function bandStretch(samples: ArrayLike<number>, noData: number | null, lowPct = 2, highPct = 98): BandStats {
  const values: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (Number.isFinite(v) && v !== noData) values.push(v);
  }
  if (values.length === 0) return { p2: 0, p98: 1, min: 0, max: 1 };
  const sorted = Float64Array.from(values).sort();
  const at = (pct: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((pct / 100) * (sorted.length - 1))))]!;
  const p2 = at(lowPct);
  let p98 = at(highPct);
  // A flat band would give a zero-width stretch (division by zero in the style): widen it by one unit.
  if (p98 <= p2) p98 = p2 + 1;
  return { p2, p98, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export interface RasterStretchOptions {
  readonly path: string;
  /** Long side of the decimated read [default 512]. */
  readonly sampleSizePx?: number;
}

export async function rasterStretch(options: RasterStretchOptions): Promise<BandStats[]> {
  const ds = await openRaster(options.path, 'raster');
  try {
    const { x: width, y: height } = ds.rasterSize;
    const scale = Math.min(1, (options.sampleSizePx ?? 512) / Math.max(width, height));
    const bw = Math.max(1, Math.round(width * scale));
    const bh = Math.max(1, Math.round(height * scale));
    const out: BandStats[] = [];
    for (let n = 1; n <= ds.bands.count(); n++) {
      const band = ds.bands.get(n);
      const data = new Float64Array(bw * bh);
      await band.pixels.readAsync(0, 0, width, height, data, { buffer_width: bw, buffer_height: bh });
      out.push(bandStretch(data, band.noDataValue));
    }
    return out;
  } finally {
    ds.close();
  }
}
