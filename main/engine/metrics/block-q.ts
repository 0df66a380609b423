/**
 * @module main/engine/metrics/block-q
 * The block UIQI that the toolbox's D_λ and D_s use (`qindex`): mean over *distinct* 32×32 blocks of
 * `4·cov(x,y)·mx·my / (var x + var y) / (mx² + my²)`, cov and var with N − 1. There is no guard: a block that is
 * constant in both images gives 0/0 = NaN, and so does the index — we keep that (documented) rather than invent a
 * value the published numbers never used. Sides must be multiples of the block size (InputError otherwise).
 * NaN handling: blocks with a non-finite pixel in `mask` are left out of the mean.
 */
import { InputError } from '../errors.ts';
import { type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';

/** Sum and count of block values (so tiles can be merged). */
export interface BlockQSum {
  sum: number;
  count: number;
}

export function assertBlockMultiple(width: number, height: number, blockSize: number, index: string): void {
  if (width < blockSize || height < blockSize) {
    throw new InputError('image-too-small', `${index}: image is ${height}×${width} px (rows×cols); needs at least one ${blockSize}×${blockSize} block`, {
      index,
      got: [height, width],
      expected: [blockSize, blockSize],
    });
  }
  if (width % blockSize !== 0 || height % blockSize !== 0) {
    throw new InputError(
      'size-not-multiple',
      `${index}: image is ${height}×${width} px (rows×cols); the toolbox's block Q needs sides that are multiples of ${blockSize}`,
      {
        index,
        got: [height, width],
        blockSize,
      },
    );
  }
}

/** Per-block means and centred values of one band, computed once and reused for every pairing (D_λ pairs bands). */
export interface CentredBlocks {
  readonly blockSize: number;
  readonly blocksX: number;
  readonly blocksY: number;
  /** [block][pixel] centred values, block-major. */
  readonly centred: Float64Array;
  readonly mean: Float64Array;
  /** Σ centred², per block. */
  readonly ss: Float64Array;
}

/**
 * Centres the blocks of one band (row-major, `width` wide) that tile `rect` (default: the whole band; its sides must
 * be multiples of `blockSize`).
 */
export function centreBlocks(
  band: Float64Array,
  width: number,
  height: number,
  blockSize: number,
  rect: PixelWindow = rasterWindow(width, height),
): CentredBlocks {
  const blocksX = rect.width / blockSize;
  const blocksY = rect.height / blockSize;
  if (!Number.isInteger(blocksX) || !Number.isInteger(blocksY))
    throw new Error(`block Q area ${JSON.stringify(rect)} is not a whole number of ${blockSize}-px blocks`);
  const P = blockSize * blockSize;
  const centred = new Float64Array(blocksX * blocksY * P);
  const mean = new Float64Array(blocksX * blocksY);
  const ss = new Float64Array(blocksX * blocksY);
  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      const k = by * blocksX + bx;
      const o = k * P;
      let s = 0;
      for (let r = 0; r < blockSize; r++) {
        const src = (rect.rowOff + by * blockSize + r) * width + rect.colOff + bx * blockSize;
        for (let c = 0; c < blockSize; c++) {
          const v = band[src + c]!;
          centred[o + r * blockSize + c] = v;
          s += v;
        }
      }
      const m = s / P;
      let q = 0;
      for (let p = 0; p < P; p++) {
        const d = centred[o + p]! - m;
        centred[o + p] = d;
        q += d * d;
      }
      mean[k] = m;
      ss[k] = q;
    }
  }
  return { blockSize, blocksX, blocksY, centred, mean, ss };
}

/** Adds the block values of Q(a, b) to `acc`; `blockValid[k] = 0` excludes block k. */
export function blockQSum(a: CentredBlocks, b: CentredBlocks, blockValid: Uint8Array | null, acc: BlockQSum): void {
  const P = a.blockSize * a.blockSize;
  const nBlocks = a.blocksX * a.blocksY;
  for (let k = 0; k < nBlocks; k++) {
    if (blockValid && !blockValid[k]) continue;
    const o = k * P;
    let cross = 0;
    for (let p = 0; p < P; p++) cross += a.centred[o + p]! * b.centred[o + p]!;
    const cov = cross / (P - 1);
    const va = a.ss[k]! / (P - 1);
    const vb = b.ss[k]! / (P - 1);
    const ma = a.mean[k]!;
    const mb = b.mean[k]!;
    acc.sum += (4 * cov * ma * mb) / (va + vb) / (ma * ma + mb * mb);
    acc.count++;
  }
}

/** Which blocks of `rect` (default: whole) have no invalid pixel; null when the mask is null (all valid). */
export function validBlocks(
  mask: Uint8Array | null,
  width: number,
  height: number,
  blockSize: number,
  rect: PixelWindow = rasterWindow(width, height),
): Uint8Array | null {
  if (!mask) return null;
  const bx = rect.width / blockSize;
  const valid = new Uint8Array(bx * (rect.height / blockSize)).fill(1);
  for (let r = rect.rowOff; r < rect.rowOff + rect.height; r++) {
    for (let c = rect.colOff; c < rect.colOff + rect.width; c++)
      if (mask[r * width + c]) valid[Math.floor((r - rect.rowOff) / blockSize) * bx + Math.floor((c - rect.colOff) / blockSize)] = 0;
  }
  return valid;
}

/** Number of blocks that `validBlocks` marks invalid. */
export function countInvalid(valid: Uint8Array | null): number {
  if (!valid) return 0;
  let n = 0;
  for (const v of valid) n += 1 - v;
  return n;
}

/** Q(x, y) of two single bands (row-major width×height): the mean block value, NaN if no block is valid. */
export function blockQ(x: Float64Array, y: Float64Array, width: number, height: number, blockSize = 32, mask: Uint8Array | null = null): number {
  assertBlockMultiple(width, height, blockSize, 'block Q');
  const acc: BlockQSum = { sum: 0, count: 0 };
  blockQSum(centreBlocks(x, width, height, blockSize), centreBlocks(y, width, height, blockSize), validBlocks(mask, width, height, blockSize), acc);
  return acc.count ? acc.sum / acc.count : NaN;
}
