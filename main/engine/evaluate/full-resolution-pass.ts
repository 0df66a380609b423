/**
 * @module main/engine/evaluate/full-resolution-pass
 * The full-resolution (no reference) indices D_λ, D_s, QNR, D_λ,K and HQNR of one fused image, streamed over tiles
 * through `FullResolutionAccumulator`, and the per-pixel spectral angle between the fused image and the upsampled MS
 * (FR spectral distortion map). Per tile, the upsampled MS = interp23tap(MS) and the low-passed PAN =
 * interp23tap(imresize(PAN, 1/ratio)) are computed on the tile's window with the whole image's borders
 * (`interp23tapWindow`), so the values equal the whole-array `fullResolutionIndices`. The only image-sized array is
 * imresize(PAN, 1/ratio): one band at MS resolution (1/ratio² of the PAN), computed in strips.
 * With worker threads (`threads` > 1, or a `pool`; assessment-pool.ts) the workers compute the tiles while this
 * thread reads the next ones and writes the map; each tile's sums are kept apart and merged in tile order, so the
 * indices are the same bits whatever the thread count.
 */
import { InputError, throwIfAborted } from '../errors.ts';
import { imresizeBicubicStrips } from '../dsp/imresize-bicubic-strips.ts';
import type { MtfSource } from '../dsp/sensor-mtf.ts';
import { ProgressMeter, type JobContext } from '../job-events.ts';
import { FullResolutionAccumulator, type FullResolutionResult, type FullResolutionState } from '../metrics/full-resolution-accumulator.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { pixelWindow, translateWindow } from '../raster/pixel-window.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { computeTiles, sharedBlock, type ThreadingOptions, transferable, usesWorkers } from './assessment-pool.ts';
import {
  type FullResolutionTileInput,
  type FullResolutionTileOutput,
  type FullResolutionTileSetup,
  FullResolutionTileWork,
  msGatherIndices,
} from './full-resolution-tile.ts';
import { planMetricTiles } from './metric-tiles.ts';
import { checkSource, gatherWindow64, readWindow64, type RasterSource } from './read-raster-window.ts';

export interface FullResolutionPassOptions extends ThreadingOptions {
  /** The PAN, origin at the evaluated area (width×height PAN pixels). */
  readonly pan: RasterSource;
  /** The original MS, origin at the evaluated area (width/ratio × height/ratio). */
  readonly ms: RasterSource;
  /** The fused image, origin at the evaluated area. */
  readonly fused: RasterSource;
  readonly bands: number;
  /** Evaluated area, PAN pixels; multiples of 32 (the block indices' requirement). */
  readonly width: number;
  readonly height: number;
  readonly ratio: number;
  /** For D_λ,K's MTF filter. */
  readonly sensor: MtfSource;
  /** imresize(PAN, 1/ratio) of the area, if already computed (it is the same for every method). */
  readonly panLowRes?: BandBlock<Float64Array>;
  /** Receives the spectral angle (degrees) between fused and upsampled MS per pixel, or null. Its pixel (0, 0) is
   * the area's origin plus `mapOffset`. */
  readonly samMap: GeoTiffWriter | null;
  readonly mapOffset?: { readonly colOff: number; readonly rowOff: number };
  /** Tile core, a multiple of 32 [default FR_CORE_PX]. */
  readonly coreSizePx?: number;
}

/**
 * Default tile core: 864 = 27·32 = 4·216, where 216 is what one 256² FFT block of D_λ(K)'s 41×41 MTF filter yields,
 * so the filter's blocks tile the core with no waste (a 512 core needs 9 blocks for 512², 864 needs 16 for 2.8× the
 * pixels: measured 1.4× less CPU for the whole pass). About 90 MB of tile arrays for 4 bands.
 */
export const FR_CORE_PX = 864;

/** Tile read windows carry this much context: ≥ the MTF kernel radius (20), a whole number of MS pixels. */
function haloFor(ratio: number, radius: number): number {
  return Math.ceil(radius / ratio) * ratio;
}

/** imresize(PAN, 1/ratio) over the area, in strips (shared by every method of a run). */
export async function panLowResolution(
  pan: RasterSource,
  width: number,
  height: number,
  ratio: number,
  ctx: JobContext = {},
): Promise<BandBlock<Float64Array>> {
  return imresizeBicubicStrips({
    width,
    height,
    scale: 1 / ratio,
    readRows: async (r0, r1) => (await readWindow64(pan, pixelWindow(0, r0, width, r1 - r0))).data,
    onStrip: () => throwIfAborted(ctx.signal),
  });
}

export async function fullResolutionPass(options: FullResolutionPassOptions, ctx: JobContext = {}): Promise<FullResolutionResult> {
  const { bands, width, height, ratio } = options;
  if (ratio !== 2 && ratio !== 4) {
    throw new InputError('ratio-unsupported', `full-resolution indices need a PAN/MS ratio of 2 or 4 (interp23tap); this scene's ratio is ${ratio}`, { ratio });
  }
  checkSource(options.pan, 'PAN', 1, width, height);
  checkSource(options.ms, 'MS', bands, width / ratio, height / ratio);
  checkSource(options.fused, 'fused', bands, width, height);
  const total = new FullResolutionAccumulator({ bands, width, height }, { sensor: options.sensor, ratio });
  const panLr = options.panLowRes ?? (await panLowResolution(options.pan, width, height, ratio, ctx));
  const tiles = planMetricTiles(width, height, options.coreSizePx ?? FR_CORE_PX, haloFor(ratio, total.haloPx));
  const workers = usesWorkers(options, tiles.length);
  const setup: FullResolutionTileSetup = {
    bands,
    width,
    height,
    ratio,
    sensor: options.sensor,
    panLowRes: workers ? sharedBlock(panLr) : panLr,
    samMap: options.samMap !== null,
  };
  const meter = new ProgressMeter(tiles.length, width * height, (e) => ctx.onEvent?.(e));
  const offset = options.mapOffset ?? { colOff: 0, rowOff: 0 };
  const read = async (i: number): Promise<FullResolutionTileInput> => {
    throwIfAborted(ctx.signal);
    const { core, read } = tiles[i]!;
    const { rows, cols } = msGatherIndices(read, setup);
    return {
      core,
      read,
      msLr: await gatherWindow64(options.ms, rows, cols),
      pan: await readWindow64(options.pan, read),
      fused: await readWindow64(options.fused, read),
    };
  };
  // One state per tile, merged in tile order once all are in: the same sums in the same order for any thread count.
  const states: FullResolutionState[] = [];
  const done = async (i: number, output: FullResolutionTileOutput) => {
    const { core } = tiles[i]!;
    states[i] = output.state;
    if (options.samMap && output.sam) await options.samMap.write(translateWindow(core, offset.colOff, offset.rowOff), output.sam);
    meter.tileDone(core.width * core.height);
  };
  await computeTiles<FullResolutionTileInput, FullResolutionTileOutput>(
    {
      count: tiles.length,
      read,
      local: () => {
        const work = new FullResolutionTileWork(setup);
        return (input) => work.run(input);
      },
      setup: { kind: 'setup-fr', setup },
      request: (input) => ({ message: { kind: 'tile-fr', input }, transfer: transferable(input.msLr.data, input.pan.data, input.fused.data) }),
      done,
    },
    options,
    ctx.signal,
  );
  throwIfAborted(ctx.signal);
  for (const state of states) total.merge(state);
  return total.result();
}
