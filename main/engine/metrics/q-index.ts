/**
 * @module main/engine/metrics/q-index
 * Q: the mean Wang–Bovik universal image quality index, as the toolbox's `Q.m` → `img_qi.m` computes it: per band,
 * UIQI on a *sliding* 32×32 window (step 1, valid positions only), mean over positions, then mean over bands.
 * (The toolbox ignores its block-size argument here and always uses 32.)
 *
 * Per window, with sums S1, S2, S11, S22, S12 and N = 1024: num = 4(N·S12 − S1S2)·S1S2,
 * d1 = N(S11 + S22) − (S1² + S2²), d = d1·(S1² + S2²); value = num/d if d ≠ 0, else 2S1S2/(S1² + S2²) if d1 == 0
 * and S1² + S2² ≠ 0 (a flat window), else 1.
 *
 * Numerics: both images are shifted by one common integer per band before summing. N·S12 − S1S2 and d1 are
 * invariant under a common shift, so this is the same index, but the cancellation in them is far smaller (and
 * integer data stays integer, so every sum and the d1 == 0 test are exact, as in the toolbox).
 * NaN handling: windows that contain a non-finite pixel (any band, either image) are left out.
 */
import type { BandBlock } from '../raster/band-block.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { assertMinSize, assertSameShape } from './shape-check.ts';
import { invalidMask } from './valid-pixels.ts';

/** `img_qi`'s window side. */
export const UIQI_WINDOW = 32;

/** Sum and count of the UIQI map of one band (valid windows only). */
export interface UiqiSum {
  sum: number;
  count: number;
  /** Window positions left out for non-finite pixels. */
  dropped: number;
}

/** UIQI of one window from its sums on shifted data (S1s = Σ(x − a), …) and the shift `a`. */
export function uiqiFromSums(n: number, s1s: number, s2s: number, s11s: number, s22s: number, s12s: number, shift: number): number {
  const s1 = s1s + n * shift;
  const s2 = s2s + n * shift;
  const mul = s1 * s2;
  const sq = s1 * s1 + s2 * s2;
  const d1 = n * (s11s + s22s) - (s1s * s1s + s2s * s2s);
  const d = d1 * sq;
  if (d !== 0) return (4 * (n * s12s - s1s * s2s) * mul) / d;
  if (d1 === 0 && sq !== 0) return (2 * mul) / sq;
  return 1;
}

/**
 * Adds the UIQI values of one band's valid sliding windows whose top-left corner lies in `positions` (default: all
 * valid positions of the block) to `acc`. `x`, `y` are row-major width×height; a window at (r0, c0) reads rows
 * r0 … r0 + window − 1, so the block must reach `window − 1` pixels below and right of `positions`. `mask`
 * (1 = invalid pixel) may be null. Window sums are kept by running updates, recomputed from scratch every `window`
 * rows/columns so rounding cannot drift on float data.
 * Long: one hot loop over running window sums, which a split would have to pass around.
 */
export function uiqiBandSum(
  x: Float64Array,
  y: Float64Array,
  width: number,
  height: number,
  mask: Uint8Array | null,
  acc: UiqiSum,
  positions: PixelWindow = { colOff: 0, rowOff: 0, width: width - UIQI_WINDOW + 1, height: height - UIQI_WINDOW + 1 },
  window = UIQI_WINDOW,
): void {
  const n = window * window;
  const [pr0, pr1, pc0, pc1] = [positions.rowOff, positions.rowOff + positions.height, positions.colOff, positions.colOff + positions.width];
  if (pr1 <= pr0 || pc1 <= pc0) return;
  if (pr1 - 1 + window > height || pc1 - 1 + window > width) {
    throw new Error(`UIQI positions rows ${pr0}…${pr1 - 1}, cols ${pc0}…${pc1 - 1} need a ${window - 1}-px margin below/right; block is ${height}×${width}`);
  }
  // The shift: the reference's mean over the area read, rounded (any common integer gives the same index).
  const cEnd = pc1 - 1 + window;
  const rEnd = pr1 - 1 + window;
  let mean = 0;
  let cnt = 0;
  for (let r = pr0; r < rEnd; r++) {
    for (let c = pc0; c < cEnd; c++) {
      const i = r * width + c;
      if (mask?.[i]) continue;
      mean += x[i]!;
      cnt++;
    }
  }
  const shift = cnt ? Math.round(mean / cnt) : 0;
  // Column sums over the current `window` rows, for columns pc0 … cEnd − 1: 5 moments + invalid count.
  const cols = cEnd - pc0;
  const c1 = new Float64Array(cols);
  const c2 = new Float64Array(cols);
  const c11 = new Float64Array(cols);
  const c22 = new Float64Array(cols);
  const c12 = new Float64Array(cols);
  const cbad = new Int32Array(cols);
  const addRow = (r: number, sgn: number) => {
    const o = r * width + pc0;
    for (let c = 0; c < cols; c++) {
      if (mask?.[o + c]) {
        cbad[c] = cbad[c]! + sgn;
        continue;
      }
      const u = x[o + c]! - shift;
      const v = y[o + c]! - shift;
      c1[c] = c1[c]! + sgn * u;
      c2[c] = c2[c]! + sgn * v;
      c11[c] = c11[c]! + sgn * u * u;
      c22[c] = c22[c]! + sgn * v * v;
      c12[c] = c12[c]! + sgn * u * v;
    }
  };
  for (let r0 = pr0; r0 < pr1; r0++) {
    if ((r0 - pr0) % window === 0) {
      c1.fill(0);
      c2.fill(0);
      c11.fill(0);
      c22.fill(0);
      c12.fill(0);
      cbad.fill(0);
      for (let r = r0; r < r0 + window; r++) addRow(r, 1);
    } else {
      addRow(r0 - 1, -1);
      addRow(r0 + window - 1, 1);
    }
    let s1 = 0;
    let s2 = 0;
    let s11 = 0;
    let s22 = 0;
    let s12 = 0;
    let bad = 0;
    for (let k = 0; k < pc1 - pc0; k++) {
      if (k % window === 0) {
        s1 = s2 = s11 = s22 = s12 = 0;
        bad = 0;
        for (let c = k; c < k + window; c++) {
          s1 += c1[c]!;
          s2 += c2[c]!;
          s11 += c11[c]!;
          s22 += c22[c]!;
          s12 += c12[c]!;
          bad += cbad[c]!;
        }
      } else {
        const o = k - 1;
        const i = k + window - 1;
        s1 += c1[i]! - c1[o]!;
        s2 += c2[i]! - c2[o]!;
        s11 += c11[i]! - c11[o]!;
        s22 += c22[i]! - c22[o]!;
        s12 += c12[i]! - c12[o]!;
        bad += cbad[i]! - cbad[o]!;
      }
      if (bad > 0) {
        acc.dropped++;
        continue;
      }
      acc.sum += uiqiFromSums(n, s1, s2, s11, s22, s12, shift);
      acc.count++;
    }
  }
}

/**
 * Q of `fused` against `ref` (same shape, at least 32×32; InputError otherwise): mean over bands of the per-band
 * mean sliding-window UIQI. A band whose windows were all excluded contributes NaN (so Q is NaN).
 */
export function qIndex(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>): number {
  assertSameShape(ref, fused, ['reference', 'fused'], 'Q');
  assertMinSize(ref, UIQI_WINDOW, UIQI_WINDOW, 'Q', `one ${UIQI_WINDOW}×${UIQI_WINDOW} sliding window`);
  const { bands, width, height } = ref;
  const mask = invalidMask(ref, fused);
  const plane = width * height;
  let total = 0;
  for (let b = 0; b < bands; b++) {
    const acc: UiqiSum = { sum: 0, count: 0, dropped: 0 };
    uiqiBandSum(ref.data.subarray(b * plane, (b + 1) * plane), fused.data.subarray(b * plane, (b + 1) * plane), width, height, mask, acc);
    total += acc.count ? acc.sum / acc.count : NaN;
  }
  return total / bands;
}
