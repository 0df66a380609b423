/**
 * @module main/engine/metrics/sam
 * SAM, the mean spectral angle in degrees (`SAM.m`): per pixel acos(<r, f> / sqrt(|r|²·|f|²)) with the cosine
 * clipped to [−1, 1] (MATLAB takes the real part of acos, which is the same thing); pixels with |r|²·|f|² == 0
 * are dropped; mean over the rest × 180/π.
 * NaN handling: pixels with a non-finite value in any band of either image are dropped too. With no pixel left the
 * index is NaN (the toolbox would divide 0 by 0 as well).
 */
import type { BandBlock } from '../raster/band-block.ts';
import { type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';
import { assertSameShape } from './shape-check.ts';

/** Running sum of angles (radians), count of pixels that had one, and count of pixels dropped. */
export interface AngleSum {
  sum: number;
  count: number;
  dropped: number;
}

/**
 * Angle in radians between two spectra from their dot product and squared norms, or NaN when undefined (a zero
 * spectrum, or a non-finite band). `sqrt(n1·n2)` as the toolbox computes it.
 */
export function spectralAngle(dot: number, n1: number, n2: number): number {
  const norm = Math.sqrt(n1 * n2);
  if (!(norm > 0) || norm === Infinity || dot - dot !== 0) return NaN;
  const cos = dot / norm;
  return Math.acos(cos > 1 ? 1 : cos < -1 ? -1 : cos);
}

/**
 * Per-pixel <a,b>, |a|², |b|² over bands for row `row`, columns [c0, c1), into the first c1 − c0 entries of the
 * scratch rows. Summed band by band in band order, as MATLAB's `dot(·,·,3)` does.
 */
export function spectralMomentsRow(
  a: BandBlock<Float64Array>,
  b: BandBlock<Float64Array>,
  row: number,
  c0: number,
  c1: number,
  dot: Float64Array,
  n1: Float64Array,
  n2: Float64Array,
): void {
  const w = c1 - c0;
  const plane = a.width * a.height;
  dot.fill(0, 0, w);
  n1.fill(0, 0, w);
  n2.fill(0, 0, w);
  for (let band = 0; band < a.bands; band++) {
    const o = band * plane + row * a.width + c0;
    for (let i = 0; i < w; i++) {
      const u = a.data[o + i]!;
      const v = b.data[o + i]!;
      dot[i] = dot[i]! + u * v;
      n1[i] = n1[i]! + u * u;
      n2[i] = n2[i]! + v * v;
    }
  }
}

/** Adds the spectral angles (radians) of the pixels of `rect` (default: all) of `ref` vs `fused` to `acc`. */
export function samSum(
  ref: BandBlock<Float64Array>,
  fused: BandBlock<Float64Array>,
  acc: AngleSum,
  rect: PixelWindow = rasterWindow(ref.width, ref.height),
): void {
  const w = rect.width;
  const dot = new Float64Array(w);
  const n1 = new Float64Array(w);
  const n2 = new Float64Array(w);
  for (let r = rect.rowOff; r < rect.rowOff + rect.height; r++) {
    spectralMomentsRow(ref, fused, r, rect.colOff, rect.colOff + w, dot, n1, n2);
    for (let i = 0; i < w; i++) {
      const angle = spectralAngle(dot[i]!, n1[i]!, n2[i]!);
      if (Number.isNaN(angle)) {
        acc.dropped++;
        continue;
      }
      acc.sum += angle;
      acc.count++;
    }
  }
}

export function samFromSum(acc: AngleSum): number {
  return ((acc.sum / acc.count) * 180) / Math.PI;
}

/** SAM in degrees of `fused` against `ref` (same shape; InputError otherwise). */
export function sam(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>): number {
  assertSameShape(ref, fused, ['reference', 'fused'], 'SAM');
  const acc: AngleSum = { sum: 0, count: 0, dropped: 0 };
  samSum(ref, fused, acc);
  return samFromSum(acc);
}
