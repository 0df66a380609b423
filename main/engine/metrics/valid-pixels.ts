/**
 * @module main/engine/metrics/valid-pixels
 * How the indices treat NaN / nodata. A pixel is *invalid* when any band of any of the compared images is not a
 * finite number (NaN or ±Infinity; nodata should be turned into NaN when reading). What each index does with it:
 * - SAM, ERGAS, PSNR: invalid pixels are left out of every sum and mean (ERGAS's per-band means included).
 * - SCC: a gradient pixel is left out when its 3×3 neighbourhood (in the cropped image) has an invalid pixel.
 * - Q2n, and the block Q of D_λ / D_s: a 32×32 block with an invalid pixel is left out of the mean over blocks.
 * - Q (sliding UIQI): a 32×32 window position with an invalid pixel is left out of the mean over positions.
 * When nothing is left the index is NaN. `countInvalidPixels` / `countInvalidBlocks` give the numbers to report.
 */
import type { BandBlock, PixelArray } from '../raster/band-block.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';

/**
 * A mask of invalid pixels (1 = invalid) over the common grid of `blocks` (all the same width×height),
 * or `null` when every pixel is valid (the common case, which then costs one pass and no mask).
 */
export function invalidMask(...blocks: BandBlock<PixelArray>[]): Uint8Array | null {
  const first = blocks[0];
  if (!first) return null;
  const size = first.width * first.height;
  let mask: Uint8Array | null = null;
  for (const blk of blocks) {
    const d = blk.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v - v !== 0) {
        // v − v is NaN exactly when v is NaN or ±Infinity
        mask ??= new Uint8Array(size);
        mask[i % size] = 1;
      }
    }
  }
  return mask;
}

/** Invalid pixels of `mask` (1 = invalid, row-major over `width`) inside `window`; 0 without a mask. */
export function countMasked(mask: Uint8Array | null, width: number, window: PixelWindow): number {
  if (!mask) return 0;
  let n = 0;
  for (let r = window.rowOff; r < window.rowOff + window.height; r++)
    for (let c = window.colOff; c < window.colOff + window.width; c++) n += mask[r * width + c]!;
  return n;
}

/** Number of invalid pixels (a pixel counts once however many of its bands are invalid). */
export function countInvalidPixels(...blocks: BandBlock<PixelArray>[]): number {
  const mask = invalidMask(...blocks);
  if (!mask) return 0;
  let n = 0;
  for (const m of mask) n += m;
  return n;
}

/** Q2n's bottom/right padding: padded index i of an axis of length n maps to i, or mirrors to 2n − 1 − i. */
export function mirrorIndex(i: number, n: number): number {
  return i < n ? i : 2 * n - 1 - i;
}

/**
 * Number of distinct `blockSize`² blocks that contain an invalid pixel, on Q2n's padded grid (sides rounded up to
 * a multiple of `blockSize` by mirroring, so an edge block also sees the mirrored copies of its neighbours' pixels).
 * For sides that are multiples of `blockSize` (D_λ, D_s) this is simply the block grid.
 */
export function countInvalidBlocks(blockSize: number, ...blocks: BandBlock<PixelArray>[]): number {
  const mask = invalidMask(...blocks);
  const first = blocks[0];
  if (!mask || !first) return 0;
  const { width, height } = first;
  const bw = Math.ceil(width / blockSize);
  const bh = Math.ceil(height / blockSize);
  let n = 0;
  for (let br = 0; br < bh; br++) {
    for (let bc = 0; bc < bw; bc++) {
      let hit = false;
      for (let r = br * blockSize; r < (br + 1) * blockSize && !hit; r++) {
        const sr = mirrorIndex(r, height) * width;
        for (let c = bc * blockSize; c < (bc + 1) * blockSize; c++) {
          if (mask[sr + mirrorIndex(c, width)]) {
            hit = true;
            break;
          }
        }
      }
      if (hit) n++;
    }
  }
  return n;
}

/** Number of `window`² sliding-window positions (step 1, valid positions only) that contain an invalid pixel. */
export function countInvalidWindows(window: number, ...blocks: BandBlock<PixelArray>[]): number {
  const mask = invalidMask(...blocks);
  const first = blocks[0];
  if (!mask || !first) return 0;
  const { width, height } = first;
  // 2-D prefix sums of the mask: exact integer counts.
  const pw = width + 1;
  const pre = new Int32Array(pw * (height + 1));
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) pre[(r + 1) * pw + c + 1] = mask[r * width + c]! + pre[r * pw + c + 1]! + pre[(r + 1) * pw + c]! - pre[r * pw + c]!;
  }
  let n = 0;
  for (let r = 0; r + window <= height; r++) {
    for (let c = 0; c + window <= width; c++) {
      const s = pre[(r + window) * pw + c + window]! - pre[r * pw + c + window]! - pre[(r + window) * pw + c]! + pre[r * pw + c]!;
      if (s > 0) n++;
    }
  }
  return n;
}
