/**
 * @module main/engine/metrics/d-lambda
 * D_λ, the spectral distortion of QNR (`D_lambda.m`, "toolbox 1.0" option): how much the fused image changes the
 * inter-band block Q of the upsampled MS,
 * `(Σ_{i<j} |Q(F_i, F_j) − Q(E_i, E_j)|^p / (B(B−1)/2))^{1/p}` with E = interp23tap(ms_lr) (not ms_lr itself).
 * Q is the block Q of block-q.ts (distinct 32×32 blocks; a block constant in both bands makes it NaN, as in the
 * toolbox). NaN handling: blocks with a non-finite pixel in any band of F or E are left out.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { assertBlockMultiple, blockQSum, type BlockQSum, centreBlocks, validBlocks } from './block-q.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { assertSameShape } from './shape-check.ts';
import { invalidMask } from './valid-pixels.ts';

export interface DLambdaOptions {
  /** The fused image at PAN resolution. */
  readonly fused: BandBlock<Float64Array>;
  /** The MS upsampled to the PAN grid with interp23tap (`ms_exp`). */
  readonly msExp: BandBlock<Float64Array>;
  /** Exponent p. Default 1. */
  readonly p?: number;
  /** Block side. Default 32. */
  readonly blockSize?: number;
}

/** Inter-band block-Q sums over the blocks of `rect` for all pairs i < j (row-major upper triangle); tiles add into them. */
export function addInterBandQ(img: BandBlock<Float64Array>, valid: Uint8Array | null, blockSize: number, sums: BlockQSum[], rect?: PixelWindow): void {
  const plane = img.width * img.height;
  const centred = Array.from({ length: img.bands }, (_, b) =>
    centreBlocks(img.data.subarray(b * plane, (b + 1) * plane), img.width, img.height, blockSize, rect),
  );
  let k = 0;
  for (let i = 0; i < img.bands; i++) for (let j = i + 1; j < img.bands; j++) blockQSum(centred[i]!, centred[j]!, valid, sums[k++]!);
}

export function dLambdaFromSums(fusedQ: readonly BlockQSum[], msQ: readonly BlockQSum[], p: number): number {
  let acc = 0;
  for (let k = 0; k < fusedQ.length; k++) acc += Math.abs(fusedQ[k]!.sum / fusedQ[k]!.count - msQ[k]!.sum / msQ[k]!.count) ** p;
  return (acc / fusedQ.length) ** (1 / p);
}

export function pairSums(bands: number): BlockQSum[] {
  return Array.from({ length: (bands * (bands - 1)) / 2 }, () => ({ sum: 0, count: 0 }));
}

/** D_λ (InputError for different shapes, fewer than 2 bands, or sides that are not multiples of the block). */
export function dLambda(options: DLambdaOptions): number {
  const { fused, msExp } = options;
  const p = options.p ?? 1;
  const blockSize = options.blockSize ?? 32;
  assertSameShape(fused, msExp, ['fused', 'upsampled MS'], 'D_lambda');
  assertBlockMultiple(fused.width, fused.height, blockSize, 'D_lambda');
  const valid = validBlocks(invalidMask(fused, msExp), fused.width, fused.height, blockSize);
  const fq = pairSums(fused.bands);
  const mq = pairSums(fused.bands);
  addInterBandQ(fused, valid, blockSize, fq);
  addInterBandQ(msExp, valid, blockSize, mq);
  return dLambdaFromSums(fq, mq, p);
}
