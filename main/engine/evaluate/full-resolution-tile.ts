/**
 * @module main/engine/evaluate/full-resolution-tile
 * The computing half of one full-resolution tile, free of GDAL so that it runs in a worker thread as well as in the
 * calling one (gdal-async loads in one thread per process; the reading half stays in full-resolution-pass.ts).
 * Input: the tile's PAN and fused windows and the MS pixels interp23tap needs (gathered with the image's circular
 * border); output: the tile's partial sums (one state per tile, so merging them in tile order gives the same bits
 * whichever thread ran which tile) and, if asked, its spectral angle map to the upsampled MS.
 */
import { gatherFromBlock, INTERP23TAP_HALO, interp23tapWindow, wrappedRange } from '../dsp/interp23tap-window.ts';
import type { MtfSource } from '../dsp/sensor-mtf.ts';
import { FullResolutionAccumulator, type FullResolutionState } from '../metrics/full-resolution-accumulator.ts';
import { spectralAngleMap } from '../metrics/spectral-angle-map.ts';
import { type BandBlock, cropBlock } from '../raster/band-block.ts';
import { type PixelWindow, scaleDownWindow, windowRelativeTo } from '../raster/pixel-window.ts';

export interface FullResolutionTileSetup {
  readonly bands: number;
  /** Evaluated area, PAN pixels (multiples of 32). */
  readonly width: number;
  readonly height: number;
  readonly ratio: number;
  readonly sensor: MtfSource;
  /** imresize(PAN, 1/ratio) of the area; backed by a SharedArrayBuffer when shared with worker threads. */
  readonly panLowRes: BandBlock<Float64Array>;
  /** Compute the per-pixel spectral angle to the upsampled MS. */
  readonly samMap: boolean;
}

/** What the reading side supplies for one tile; every array is the tile's own (its buffer can be transferred). */
export interface FullResolutionTileInput {
  readonly core: PixelWindow;
  /** The core plus the MTF halo, clipped to the area; `pan` and `fused` cover it. */
  readonly read: PixelWindow;
  readonly pan: BandBlock<Float64Array>;
  readonly fused: BandBlock<Float64Array>;
  /** MS pixels at `msGatherIndices(read)`: the rows × columns interp23tap of `read` needs. */
  readonly msLr: BandBlock<Float64Array>;
}

export interface FullResolutionTileOutput {
  readonly state: FullResolutionState;
  /** Spectral angle (degrees) over the core, or null when not asked for. */
  readonly sam: BandBlock<Float32Array> | null;
}

export interface GatherIndices {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
}

/**
 * The MS rows and columns `interp23tapWindow` gathers for a read window: its low-resolution pixels plus
 * INTERP23TAP_HALO on each side, wrapped modulo the MS size (the toolbox's circular border). The gather below
 * checks them against the ones it is asked for, so the two can never drift apart silently.
 */
export function msGatherIndices(read: PixelWindow, setup: Pick<FullResolutionTileSetup, 'width' | 'height' | 'ratio'>): GatherIndices {
  const lr = scaleDownWindow(read, setup.ratio);
  const h = INTERP23TAP_HALO;
  return {
    rows: wrappedRange(lr.rowOff - h, lr.height + 2 * h, setup.height / setup.ratio),
    cols: wrappedRange(lr.colOff - h, lr.width + 2 * h, setup.width / setup.ratio),
  };
}

const sameIndices = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export class FullResolutionTileWork {
  private readonly acc: FullResolutionAccumulator;
  private readonly panGather;

  constructor(private readonly setup: FullResolutionTileSetup) {
    this.acc = new FullResolutionAccumulator({ bands: setup.bands, width: setup.width, height: setup.height }, { sensor: setup.sensor, ratio: setup.ratio });
    this.panGather = gatherFromBlock(setup.panLowRes);
  }

  /** Read windows must carry this much context around the core (clipped at the area's edges). */
  get haloPx(): number {
    return this.acc.haloPx;
  }

  async run(input: FullResolutionTileInput): Promise<FullResolutionTileOutput> {
    const { width, height, ratio } = this.setup;
    const { core, read } = input;
    const window = scaleDownWindow(read, ratio);
    const expected = msGatherIndices(read, this.setup);
    const msGather = async (rows: Int32Array, cols: Int32Array) => {
      if (!sameIndices(rows, expected.rows) || !sameIndices(cols, expected.cols))
        throw new Error(`full-resolution tile ${JSON.stringify(read)}: interp23tap asked for other MS pixels than were read`);
      return input.msLr;
    };
    const lrSize = { width: width / ratio, height: height / ratio };
    const msExp = await interp23tapWindow({ gather: msGather, ...lrSize, window, ratio });
    const panLp = await interp23tapWindow({ gather: this.panGather, ...lrSize, window, ratio });
    this.acc.add({ core, read, fused: input.fused, msExp, pan: input.pan, panLp });
    let sam: BandBlock<Float32Array> | null = null;
    if (this.setup.samMap) {
      const coreInRead = windowRelativeTo(core, read);
      sam = spectralAngleMap(cropBlock(input.fused, coreInRead), cropBlock(msExp, coreInRead));
    }
    return { state: this.acc.takeState(), sam };
  }
}
