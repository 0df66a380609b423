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
 * One ×2 step along one axis, polyphase. `src` holds `n` samples per line (stride `srcSample` between samples,
 * `lines` lines `srcLine` apart); `dst` gets `2n` samples per line. After zero insertion at positions
 * `phase + 2i` the filtered value at a sample position is the sample itself (centre tap 1, even taps 0), and
 * between samples it is the 12-tap sum of its odd neighbours, wrapped circularly over the 2n-long line.
 * The tap positions depend only on the output position, so they are computed once per position; the loops then
 * run along memory (lines inner when samples are strided, i.e. the column pass), which changes no sum.
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
  // Per output position y: its own source sample (−1 when between samples), or its 12 neighbours' offsets.
  const own = new Int32Array(m);
  const lo = new Int32Array(m * 6);
  const hi = new Int32Array(m * 6);
  for (let y = 0; y < m; y++) {
    if ((y & 1) === phase) {
      own[y] = ((y - phase) >> 1) * srcSample;
      continue;
    }
    own[y] = -1;
    for (let t = 0; t < 6; t++) {
      const k = ODD_OFFSETS[t]!;
      lo[y * 6 + t] = ((((((y - k) % m) + m) % m) - phase) >> 1) * srcSample; // same parity as phase
      hi[y * 6 + t] = ((((y + k) % m) - phase) >> 1) * srcSample;
    }
  }
  const [t0, t1, t2, t3, t4, t5] = ODD_TAPS as [number, number, number, number, number, number];
  const value = (s0: number, y: number): number => {
    const o = own[y]!;
    if (o >= 0) return src[s0 + o]!;
    const b = y * 6;
    let v = 0;
    v += t0 * (src[s0 + lo[b]!]! + src[s0 + hi[b]!]!);
    v += t1 * (src[s0 + lo[b + 1]!]! + src[s0 + hi[b + 1]!]!);
    v += t2 * (src[s0 + lo[b + 2]!]! + src[s0 + hi[b + 2]!]!);
    v += t3 * (src[s0 + lo[b + 3]!]! + src[s0 + hi[b + 3]!]!);
    v += t4 * (src[s0 + lo[b + 4]!]! + src[s0 + hi[b + 4]!]!);
    v += t5 * (src[s0 + lo[b + 5]!]! + src[s0 + hi[b + 5]!]!);
    return v;
  };
  if (srcSample > srcLine) {
    for (let y = 0; y < m; y++) for (let line = 0; line < lines; line++) dst[line * dstLine + y * dstSample] = value(line * srcLine, y);
  } else {
    for (let line = 0; line < lines; line++) for (let y = 0; y < m; y++) dst[line * dstLine + y * dstSample] = value(line * srcLine, y);
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
