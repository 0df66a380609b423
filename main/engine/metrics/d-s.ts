/**
 * @module main/engine/metrics/d-s
 * D_s, the spatial distortion of QNR and HQNR (`D_s.m`, "toolbox 1.0" option):
 * `(Σ_b |Q(F_b, PAN) − Q(E_b, PAN_lp)|^q / B)^{1/q}` with E = interp23tap(ms_lr) and
 * PAN_lp = interp23tap(imresize(PAN, 1/ratio), ratio) (MATLAB bicubic, antialiased). Q is block-q.ts's.
 * NaN handling: blocks with a non-finite pixel in F, E, PAN or PAN_lp are left out.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { imresizeBicubic } from '../dsp/imresize-bicubic.ts';
import { interp23tap } from '../dsp/interp23tap.ts';
import { assertBlockMultiple, blockQSum, type BlockQSum, centreBlocks, validBlocks } from './block-q.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { assertBandCount, assertSameGrid, assertSameShape } from './shape-check.ts';
import { invalidMask } from './valid-pixels.ts';

export interface DsOptions {
  readonly fused: BandBlock<Float64Array>;
  /** The MS upsampled with interp23tap (`ms_exp`), same shape as `fused`. */
  readonly msExp: BandBlock<Float64Array>;
  /** The PAN, one band on the fused grid. */
  readonly pan: BandBlock<Float64Array>;
  /** The low-passed PAN; computed from `pan` when absent (whole-image borders). */
  readonly panLp?: BandBlock<Float64Array>;
  /** PAN/MS scale ratio. Default 4. */
  readonly ratio?: number;
  /** Exponent q. Default 1. */
  readonly q?: number;
  readonly blockSize?: number;
}

/** `interp23tap(imresize(pan, 1/ratio), ratio)`: the PAN at MS resolution, back on the PAN grid. */
export function lowPassPan(pan: BandBlock<Float64Array>, ratio = 4): BandBlock<Float64Array> {
  return interp23tap(imresizeBicubic(pan, 1 / ratio), ratio);
}

/** Per-band sums of Q(F_b, PAN) (`high`) and Q(E_b, PAN_lp) (`low`) over the blocks of `rect` (default: all). */
export function addDsSums(
  fused: BandBlock<Float64Array>,
  msExp: BandBlock<Float64Array>,
  pan: BandBlock<Float64Array>,
  panLp: BandBlock<Float64Array>,
  valid: Uint8Array | null,
  blockSize: number,
  high: BlockQSum[],
  low: BlockQSum[],
  rect?: PixelWindow,
): void {
  const { width, height } = fused;
  const plane = width * height;
  const p = centreBlocks(pan.data, width, height, blockSize, rect);
  const pl = centreBlocks(panLp.data, width, height, blockSize, rect);
  for (let b = 0; b < fused.bands; b++) {
    blockQSum(centreBlocks(fused.data.subarray(b * plane, (b + 1) * plane), width, height, blockSize, rect), p, valid, high[b]!);
    blockQSum(centreBlocks(msExp.data.subarray(b * plane, (b + 1) * plane), width, height, blockSize, rect), pl, valid, low[b]!);
  }
}

export function dsFromSums(high: readonly BlockQSum[], low: readonly BlockQSum[], q: number): number {
  let acc = 0;
  for (let b = 0; b < high.length; b++) acc += Math.abs(high[b]!.sum / high[b]!.count - low[b]!.sum / low[b]!.count) ** q;
  return (acc / high.length) ** (1 / q);
}

/** D_s (InputError for mismatched shapes, a multi-band PAN, or sides that are not multiples of the block). */
export function dS(options: DsOptions): number {
  const { fused, msExp, pan } = options;
  const ratio = options.ratio ?? 4;
  const q = options.q ?? 1;
  const blockSize = options.blockSize ?? 32;
  assertSameShape(fused, msExp, ['fused', 'upsampled MS'], 'D_s');
  assertBandCount(pan, 1, 'PAN', 'D_s');
  assertSameGrid(fused, pan, ['fused', 'PAN'], 'D_s');
  assertBlockMultiple(fused.width, fused.height, blockSize, 'D_s');
  const panLp = options.panLp ?? lowPassPan(pan, ratio);
  assertSameGrid(pan, panLp, ['PAN', 'low-pass PAN'], 'D_s');
  const valid = validBlocks(invalidMask(fused, msExp, pan, panLp), fused.width, fused.height, blockSize);
  const high = Array.from({ length: fused.bands }, () => ({ sum: 0, count: 0 }));
  const low = Array.from({ length: fused.bands }, () => ({ sum: 0, count: 0 }));
  addDsSums(fused, msExp, pan, panLp, valid, blockSize, high, low);
  return dsFromSums(high, low, q);
}
