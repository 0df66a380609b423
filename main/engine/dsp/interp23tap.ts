/**
 * @module main/engine/dsp/interp23tap
 * The toolbox's `interp23tap.m`: ×2 steps of zero insertion followed by a 23-tap symmetric interpolation filter
 * (columns, then rows) with circular borders. The first step puts the samples at odd positions, later steps at
 * even ones: together with `mtfDegrade`'s sample phase this keeps the upsampled image aligned with the PAN grid.
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';

/** Right half of the interpolation kernel (centre first), as `2·CDF23` in the toolbox. */
const HALF = [0.5, 0.305334091185, 0, -0.072698593239, 0, 0.021809577942, 0, -0.005192756653, 0, 0.000807762146, 0, -0.000060081482].map((v) => 2 * v);
/** Non-zero off-centre taps: offsets ±1, ±3, …, ±11. The centre tap is exactly 1 and even offsets are exactly 0. */
const ODD_OFFSETS = [1, 3, 5, 7, 9, 11];
const ODD_TAPS = ODD_OFFSETS.map((k) => HALF[k]!);

/**
 * One ×2 step along one axis, polyphase. `src` holds `n` samples per line (stride `srcStride` between samples,
 * `lines` lines `lineStride` apart); `dst` gets `2n` samples per line. After zero insertion at positions
 * `phase + 2i` the filtered value at a sample position is the sample itself (centre tap 1, even taps 0), and
 * between samples it is the 12-tap sum of its odd neighbours, wrapped circularly over the 2n-long line.
 */
function upsampleAxis(
  src: Float64Array,
  n: number,
  lines: number,
  srcSample: number,
  srcLine: number,
  dst: Float64Array,
  dstSample: number,
  dstLine: number,
  phase: 0 | 1,
): void {
  const m = 2 * n;
  for (let line = 0; line < lines; line++) {
    const s0 = line * srcLine;
    const d0 = line * dstLine;
    for (let y = 0; y < m; y++) {
      let v: number;
      if ((y & 1) === phase) {
        v = src[s0 + ((y - phase) >> 1) * srcSample]!;
      } else {
        v = 0;
        for (let t = 0; t < 6; t++) {
          const k = ODD_OFFSETS[t]!;
          const lo = (((y - k) % m) + m) % m; // same parity as phase
          const hi = (y + k) % m;
          v += ODD_TAPS[t]! * (src[s0 + ((lo - phase) >> 1) * srcSample]! + src[s0 + ((hi - phase) >> 1) * srcSample]!);
        }
      }
      dst[d0 + y * dstSample] = v;
    }
  }
}

/**
 * Upsamples every band by `ratio` (2 or 4, as the toolbox's loop of ratio/2 steps is only right for those).
 * Output is `ratio·width × ratio·height`.
 */
export function interp23tap(block: BandBlock<Float64Array>, ratio = 4): BandBlock<Float64Array> {
  if (ratio !== 2 && ratio !== 4) {
    throw new InputError('ratio-unsupported', `interp23tap supports ratio 2 or 4 (the toolbox loops ratio/2 times); got ${ratio}`, { ratio });
  }
  let { width, height } = block;
  const { bands } = block;
  let cur = block.data;
  const steps = ratio / 2;
  for (let s = 0; s < steps; s++) {
    const phase: 0 | 1 = s === 0 ? 1 : 0;
    const w2 = 2 * width;
    const h2 = 2 * height;
    const next = new Float64Array(bands * w2 * h2);
    const tall = new Float64Array(h2 * width); // one band after the vertical step
    for (let b = 0; b < bands; b++) {
      const band = cur.subarray(b * width * height, (b + 1) * width * height);
      // Columns first: each column is a line of `height` samples, stride `width`.
      upsampleAxis(band, height, width, width, 1, tall, width, 1, phase);
      // Then rows: each of the 2h rows is a line of `width` samples.
      upsampleAxis(tall, width, h2, 1, width, next.subarray(b * w2 * h2, (b + 1) * w2 * h2), 1, w2, phase);
    }
    cur = next;
    width = w2;
    height = h2;
  }
  return { bands, width, height, data: cur };
}
