/**
 * @module main/engine/metrics/relative-difference-map
 * Per-pixel relative difference between two images (e.g. two methods' outputs), our definition:
 * `Σ_b |a_b − b_b| / Σ_b (|a_b| + |b_b|)`, in [0, 1]: 0 for identical spectra, 1 when they share no mass (e.g.
 * opposite signs, or one spectrum zero). Scale-free and symmetric; NaN where undefined (both spectra zero, or a
 * non-finite band). One band, float32, same grid; per-pixel, so tiles need no halo.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { assertSameShape } from './shape-check.ts';

export function relativeDifferenceMap(a: BandBlock<Float64Array>, b: BandBlock<Float64Array>): BandBlock<Float32Array> {
  assertSameShape(a, b, ['first image', 'second image'], 'relative difference map');
  const { width, height, bands } = a;
  const plane = width * height;
  const num = new Float64Array(plane);
  const den = new Float64Array(plane);
  for (let band = 0; band < bands; band++) {
    const o = band * plane;
    for (let i = 0; i < plane; i++) {
      const u = a.data[o + i]!;
      const v = b.data[o + i]!;
      num[i] = num[i]! + Math.abs(u - v);
      den[i] = den[i]! + Math.abs(u) + Math.abs(v);
    }
  }
  const out = new Float32Array(plane);
  for (let i = 0; i < plane; i++) {
    const d = den[i]!;
    out[i] = d > 0 && d !== Infinity && num[i]! - num[i]! === 0 ? num[i]! / d : NaN;
  }
  return { bands: 1, width, height, data: out };
}
