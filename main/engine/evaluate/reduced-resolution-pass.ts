/**
 * @module main/engine/evaluate/reduced-resolution-pass
 * Wald's protocol, last step: the reduced-resolution indices (Q2n, Q, SAM, ERGAS, SCC, PSNR) of one fused image
 * against the reference (the original MS), streamed over tiles through `ReducedResolutionAccumulator` (no
 * whole-image arrays), and the per-pixel spectral angle map to the reference written on the way.
 */
import { throwIfAborted } from '../errors.ts';
import { ProgressMeter, type JobContext } from '../jobs/job-events.ts';
import { ReducedResolutionAccumulator } from '../metrics/accumulators.ts';
import type { ReducedResolutionIndices } from '../metrics/reduced-resolution.ts';
import { spectralAngleMap } from '../metrics/spectral-angle-map.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { cropWindow, planMetricTiles } from './metric-tiles.ts';
import { checkSource, readWindow64, type RasterSource } from './read-raster-window.ts';

export interface ReducedResolutionPassOptions {
  /** The original MS, origin at the evaluated area. */
  readonly reference: RasterSource;
  /** The fused image of the degraded pair, same grid and size as the evaluated area. */
  readonly fused: RasterSource;
  readonly bands: number;
  readonly width: number;
  readonly height: number;
  readonly ratio: number;
  /** PSNR's peak is 2^bitDepth − 1; PSNR is left out when null. */
  readonly bitDepth: number | null;
  /** Receives the spectral angle (degrees) to the reference per pixel, or null for none. */
  readonly samMap: GeoTiffWriter | null;
  /** Tile core, a multiple of 32 [default 512]. */
  readonly coreSizePx?: number;
}

export async function reducedResolutionPass(options: ReducedResolutionPassOptions, ctx: JobContext = {}): Promise<ReducedResolutionIndices> {
  const { bands, width, height } = options;
  checkSource(options.reference, 'reference', bands, width, height);
  checkSource(options.fused, 'fused', bands, width, height);
  const acc = new ReducedResolutionAccumulator({ bands, width, height }, { ratio: options.ratio, ...(options.bitDepth !== null ? { bitDepth: options.bitDepth } : {}) });
  const tiles = planMetricTiles(width, height, options.coreSizePx ?? 512, acc.haloPx);
  const meter = new ProgressMeter(tiles.length, width * height, (e) => ctx.onEvent?.(e));
  for (const { core, read } of tiles) {
    throwIfAborted(ctx.signal);
    const ref = await readWindow64(options.reference, read);
    const fused = await readWindow64(options.fused, read);
    acc.add({ core, read, ref, fused });
    if (options.samMap) {
      const a = { bands, width: core.width, height: core.height, data: cropWindow(ref.data, bands, read, core) };
      const b = { bands, width: core.width, height: core.height, data: cropWindow(fused.data, bands, read, core) };
      await options.samMap.write(core, spectralAngleMap(a, b));
    }
    meter.tileDone(core.width * core.height);
  }
  return acc.result();
}
