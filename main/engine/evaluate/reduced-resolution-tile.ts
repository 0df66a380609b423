/**
 * @module main/engine/evaluate/reduced-resolution-tile
 * The computing half of one reduced-resolution tile, free of GDAL so that it runs in a worker thread as well as in
 * the calling one: the tile's partial sums of every reduced-resolution index (one state per tile, merged in tile
 * order by the pass) and, if asked, its spectral angle map to the reference.
 */
import { type MetricTile, ReducedResolutionAccumulator, type ReducedResolutionState } from '../metrics/accumulators.ts';
import { spectralAngleMap } from '../metrics/spectral-angle-map.ts';
import { type BandBlock, cropBlock } from '../raster/band-block.ts';
import { windowRelativeTo } from '../raster/pixel-window.ts';

export interface ReducedResolutionTileSetup {
  readonly bands: number;
  readonly width: number;
  readonly height: number;
  /** ERGAS's ratio. */
  readonly ratio: number;
  /** PSNR's bit depth; PSNR is left out when null. */
  readonly bitDepth: number | null;
  /** Compute the per-pixel spectral angle to the reference. */
  readonly samMap: boolean;
}

export interface ReducedResolutionTileOutput {
  readonly state: ReducedResolutionState;
  /** Spectral angle (degrees) over the core, or null when not asked for. */
  readonly sam: BandBlock<Float32Array> | null;
}

export class ReducedResolutionTileWork {
  private readonly acc: ReducedResolutionAccumulator;

  constructor(private readonly setup: ReducedResolutionTileSetup) {
    const { bands, width, height, ratio, bitDepth } = setup;
    this.acc = new ReducedResolutionAccumulator({ bands, width, height }, { ratio, ...(bitDepth !== null ? { bitDepth } : {}) });
  }

  /** Read windows must carry this much context around the core (clipped at the area's edges). */
  get haloPx(): number {
    return this.acc.haloPx;
  }

  run(tile: MetricTile): ReducedResolutionTileOutput {
    this.acc.add(tile);
    let sam: BandBlock<Float32Array> | null = null;
    if (this.setup.samMap) {
      const core = windowRelativeTo(tile.core, tile.read);
      sam = spectralAngleMap(cropBlock(tile.ref, core), cropBlock(tile.fused, core));
    }
    return { state: this.acc.takeState(), sam };
  }
}
