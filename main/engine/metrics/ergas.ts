/**
 * @module main/engine/metrics/ergas
 * ERGAS (`ERGAS.m`): `100/ratio · sqrt( mean_b( mean((r_b − f_b)²) / mean(r_b)² ) )`, the reference first.
 * A band whose reference mean is 0 divides by zero: the result is then Infinity (or NaN when that band's error is
 * also 0), as in the toolbox; we return it as is rather than hide it.
 * NaN handling: pixels with a non-finite value in any band of either image are left out of every mean.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';
import { assertSameShape } from './shape-check.ts';
import { countMasked, invalidMask } from './valid-pixels.ts';

/** Per-band sums that ERGAS needs; tiles add into the same object. */
export interface ErgasSums {
  /** Σ (r − f)² per band. */
  readonly sqErr: Float64Array;
  /** Σ r per band. */
  readonly refSum: Float64Array;
  /** valid pixels counted (same for every band). */
  count: number;
}

export function createErgasSums(bands: number): ErgasSums {
  return { sqErr: new Float64Array(bands), refSum: new Float64Array(bands), count: 0 };
}

/**
 * Adds the sums over `rect` (default: the whole block) of one image or tile pair; `mask` (1 = invalid pixel, over
 * the whole block) as from valid-pixels.ts.
 */
export function addErgasSums(
  ref: BandBlock<Float64Array>,
  fused: BandBlock<Float64Array>,
  mask: Uint8Array | null,
  sums: ErgasSums,
  rect: PixelWindow = rasterWindow(ref.width, ref.height),
): void {
  const { width } = ref;
  const [c0, c1] = [rect.colOff, rect.colOff + rect.width];
  const plane = width * ref.height;
  for (let b = 0; b < ref.bands; b++) {
    let se = 0;
    let sr = 0;
    for (let row = rect.rowOff; row < rect.rowOff + rect.height; row++) {
      const o = b * plane + row * width;
      if (!mask) {
        for (let i = o + c0; i < o + c1; i++) {
          const r = ref.data[i]!;
          const e = r - fused.data[i]!;
          se += e * e;
          sr += r;
        }
        continue;
      }
      for (let i = o + c0; i < o + c1; i++) {
        if (mask[i - b * plane]) continue;
        const r = ref.data[i]!;
        const e = r - fused.data[i]!;
        se += e * e;
        sr += r;
      }
    }
    sums.sqErr[b] = sums.sqErr[b]! + se;
    sums.refSum[b] = sums.refSum[b]! + sr;
  }
  sums.count += rect.width * rect.height - countMasked(mask, width, rect);
}

export function ergasFromSums(sums: ErgasSums, ratio: number): number {
  const n = sums.count;
  let acc = 0;
  for (let b = 0; b < sums.sqErr.length; b++) acc += sums.sqErr[b]! / n / (sums.refSum[b]! / n) ** 2;
  return (100 / ratio) * Math.sqrt((1 / sums.sqErr.length) * acc);
}

/** ERGAS of `fused` against `ref` (same shape; InputError otherwise). `ratio` is the PAN/MS scale ratio (4). */
export function ergas(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, ratio = 4): number {
  assertSameShape(ref, fused, ['reference', 'fused'], 'ERGAS');
  const sums = createErgasSums(ref.bands);
  addErgasSums(ref, fused, invalidMask(ref, fused), sums);
  return ergasFromSums(sums, ratio);
}
