/**
 * @module main/engine/metrics/spectral-angle-map
 * Per-pixel spectral angle between two images, in degrees, for the renderer's map layers: to the reference (RR),
 * to the upsampled MS (FR spectral distortion), or between two methods. Same grid as the inputs, one band,
 * float32; NaN where the angle is undefined (a zero spectrum in either image, or a non-finite band). Purely
 * per-pixel, so tiles need no halo.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { spectralAngle, spectralMomentsRow } from './sam.ts';
import { assertSameShape } from './shape-check.ts';

export function spectralAngleMap(a: BandBlock<Float64Array>, b: BandBlock<Float64Array>): BandBlock<Float32Array> {
  assertSameShape(a, b, ['first image', 'second image'], 'spectral angle map');
  const { width, height } = a;
  const out = new Float32Array(width * height);
  const dot = new Float64Array(width);
  const n1 = new Float64Array(width);
  const n2 = new Float64Array(width);
  for (let r = 0; r < height; r++) {
    spectralMomentsRow(a, b, r, 0, width, dot, n1, n2);
    for (let c = 0; c < width; c++) out[r * width + c] = (spectralAngle(dot[c]!, n1[c]!, n2[c]!) * 180) / Math.PI;
  }
  return { bands: 1, width, height, data: out };
}
