/**
 * @module main/engine/evaluate/reduced-resolution-pass
 * Wald's protocol, last step: the reduced-resolution indices (Q2n, Q, SAM, ERGAS, SCC, PSNR) of one fused image
 * against the reference (the original MS), streamed over tiles through `ReducedResolutionAccumulator` (no
 * whole-image arrays), and the per-pixel spectral angle map to the reference written on the way. With worker
 * threads (`threads` > 1, or a `pool`; assessment-pool.ts) the workers compute the tiles while this thread reads the
 * next ones; each tile's sums are merged in tile order, so the indices are the same bits whatever the thread count.
 */
import { throwIfAborted } from '../errors.ts';
import { ProgressMeter, type JobContext } from '../job-events.ts';
import { type MetricTile, ReducedResolutionAccumulator, type ReducedResolutionState } from '../metrics/accumulators.ts';
import type { ReducedResolutionIndices } from '../metrics/reduced-resolution.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { computeTiles, type ThreadingOptions, transferable } from './assessment-pool.ts';
import { planMetricTiles } from './metric-tiles.ts';
import { checkSource, readWindow64, type RasterSource } from './read-raster-window.ts';
import { type ReducedResolutionTileOutput, type ReducedResolutionTileSetup, ReducedResolutionTileWork } from './reduced-resolution-tile.ts';

export interface ReducedResolutionPassOptions extends ThreadingOptions {
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
  const setup: ReducedResolutionTileSetup = { bands, width, height, ratio: options.ratio, bitDepth: options.bitDepth, samMap: options.samMap !== null };
  const local = new ReducedResolutionTileWork(setup);
  const total = new ReducedResolutionAccumulator(
    { bands, width, height },
    { ratio: options.ratio, ...(options.bitDepth !== null ? { bitDepth: options.bitDepth } : {}) },
  );
  const tiles = planMetricTiles(width, height, options.coreSizePx ?? 512, local.haloPx);
  const meter = new ProgressMeter(tiles.length, width * height, (e) => ctx.onEvent?.(e));
  const read = async (i: number): Promise<MetricTile> => {
    throwIfAborted(ctx.signal);
    const { core, read } = tiles[i]!;
    return { core, read, ref: await readWindow64(options.reference, read), fused: await readWindow64(options.fused, read) };
  };
  // One state per tile, merged in tile order once all are in: the same sums in the same order for any thread count.
  const states: ReducedResolutionState[] = [];
  const done = async (i: number, output: ReducedResolutionTileOutput) => {
    const { core } = tiles[i]!;
    states[i] = output.state;
    if (options.samMap && output.sam) await options.samMap.write(core, output.sam);
    meter.tileDone(core.width * core.height);
  };
  await computeTiles<MetricTile, ReducedResolutionTileOutput>(
    {
      count: tiles.length,
      read,
      local: () => (input) => local.run(input),
      setup: { kind: 'setup-rr', setup },
      request: (input) => ({ message: { kind: 'tile-rr', input }, transfer: transferable(input.ref.data, input.fused.data) }),
      done,
    },
    options,
    ctx.signal,
  );
  throwIfAborted(ctx.signal);
  for (const state of states) total.merge(state);
  return total.result();
}
