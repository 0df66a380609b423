/**
 * @module main/engine/evaluate/comparison-pass
 * Where two methods disagree: per-pixel spectral angle (degrees) and relative difference between two outputs on the
 * same grid, written as two maps, tile by tile; plus the mean of each over the valid pixels for the report.
 */
import { throwIfAborted } from '../errors.ts';
import { ProgressMeter, type JobContext } from '../job-events.ts';
import { relativeDifferenceMap } from '../metrics/relative-difference-map.ts';
import { spectralAngleMap } from '../metrics/spectral-angle-map.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { planMetricTiles } from './metric-tiles.ts';
import { checkSource, readWindow64, type RasterSource } from './read-raster-window.ts';

export interface ComparisonPassOptions {
  readonly a: RasterSource;
  readonly b: RasterSource;
  readonly bands: number;
  readonly width: number;
  readonly height: number;
  readonly angleMap: GeoTiffWriter;
  readonly differenceMap: GeoTiffWriter;
  /** [default 512] */
  readonly coreSizePx?: number;
}

export interface ComparisonResult {
  /** Mean spectral angle between the two outputs, degrees, over pixels where it is defined. */
  readonly meanSpectralAngleDeg: number;
  /** Mean relative difference, over pixels where it is defined. */
  readonly meanRelativeDifference: number;
  /** Pixels where either map is undefined (non-finite, or zero spectra). */
  readonly undefinedPixels: number;
}

export async function comparisonPass(options: ComparisonPassOptions, ctx: JobContext = {}): Promise<ComparisonResult> {
  const { bands, width, height } = options;
  checkSource(options.a, 'first output', bands, width, height);
  checkSource(options.b, 'second output', bands, width, height);
  const tiles = planMetricTiles(width, height, options.coreSizePx ?? 512, 0);
  const meter = new ProgressMeter(tiles.length, width * height, (e) => ctx.onEvent?.(e));
  let angleSum = 0;
  let diffSum = 0;
  let count = 0;
  let undefinedPixels = 0;
  for (const { core } of tiles) {
    throwIfAborted(ctx.signal);
    const a = await readWindow64(options.a, core);
    const b = await readWindow64(options.b, core);
    const angle = spectralAngleMap(a, b);
    const diff = relativeDifferenceMap(a, b);
    for (let i = 0; i < angle.data.length; i++) {
      const s = angle.data[i]!;
      const d = diff.data[i]!;
      if (Number.isNaN(s) || Number.isNaN(d)) {
        undefinedPixels++;
        continue;
      }
      angleSum += s;
      diffSum += d;
      count++;
    }
    await options.angleMap.write(core, angle);
    await options.differenceMap.write(core, diff);
    meter.tileDone(core.width * core.height);
  }
  return { meanSpectralAngleDeg: count ? angleSum / count : NaN, meanRelativeDifference: count ? diffSum / count : NaN, undefinedPixels };
}
