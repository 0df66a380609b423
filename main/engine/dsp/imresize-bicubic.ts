/**
 * @module main/engine/dsp/imresize-bicubic
 * MATLAB `imresize(x, scale)` with its default bicubic kernel (Keys, a = −0.5), as MATLAB R2017b and later compute
 * it: antialiased when shrinking (kernel stretched by 1/scale), weights normalised to sum 1, out-of-range taps
 * mirrored (`1, 2, …, n, n, n−1, …`), rows first then columns. The toolbox's D_s uses `imresize(PAN, 1/4)`.
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';

function cubic(x: number): number {
  const a = Math.abs(x);
  const a2 = a * a;
  const a3 = a2 * a;
  if (a <= 1) return 1.5 * a3 - 2.5 * a2 + 1;
  if (a <= 2) return -0.5 * a3 + 2.5 * a2 - 4 * a + 2;
  return 0;
}

/** Per-output taps along one axis: `taps` source indices and weights per output sample (MATLAB `contributions`). */
export interface Contributions {
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

/** Exported for the streaming form (evaluate/pan-low-pass.ts), which must sum exactly as `imresizeBicubic` does. */
export function contributions(inLength: number, outLength: number, scale: number): Contributions {
  const shrink = scale < 1;
  const kernelWidth = shrink ? 4 / scale : 4;
  const taps = Math.ceil(kernelWidth) + 2;
  const index = new Int32Array(outLength * taps);
  const weight = new Float64Array(outLength * taps);
  const period = 2 * inLength; // mirror: 1..n, n..1
  for (let k = 1; k <= outLength; k++) {
    const u = k / scale + 0.5 * (1 - 1 / scale);
    const left = Math.floor(u - kernelWidth / 2);
    let sum = 0;
    const base = (k - 1) * taps;
    for (let t = 0; t < taps; t++) {
      const j = left + t; // 1-based source index, maybe out of range
      const w = shrink ? scale * cubic(scale * (u - j)) : cubic(u - j);
      weight[base + t] = w;
      sum += w;
      const m = (((j - 1) % period) + period) % period; // 0-based position in the mirrored sequence
      index[base + t] = m < inLength ? m : period - 1 - m;
    }
    for (let t = 0; t < taps; t++) weight[base + t] = weight[base + t]! / sum;
  }
  return { taps, index, weight };
}

/**
 * Resizes every band by `scale` (e.g. 1/4 or 4); output sides are `ceil(side·scale)`. MATLAB maps output sample k
 * (1-based) to input coordinate `k/scale + (1 − 1/scale)/2`.
 */
export function imresizeBicubic(block: BandBlock<Float64Array>, scale: number): BandBlock<Float64Array> {
  if (!(scale > 0 && Number.isFinite(scale))) throw new InputError('bad-scale', `resize scale ${scale} is not a positive finite number`, { scale });
  const { bands, width, height } = block;
  const outH = Math.ceil(height * scale - 1e-9);
  const outW = Math.ceil(width * scale - 1e-9);
  const rowsC = contributions(height, outH, scale);
  const colsC = contributions(width, outW, scale);
  const data = new Float64Array(bands * outW * outH);
  const mid = new Float64Array(outH * width);
  for (let b = 0; b < bands; b++) {
    const src = block.data.subarray(b * width * height, (b + 1) * width * height);
    resizeAlongRows(src, 0, width, rowsC, 0, outH, mid);
    resizeAlongColumns(mid, width, outH, colsC, data.subarray(b * outW * outH, (b + 1) * outW * outH), 0);
  }
  return { bands, width: outW, height: outH, data };
}

/**
 * The row pass (dimension 1, MATLAB's first) for output rows [j0, j1): each is a weighted sum of source rows.
 * `src` holds source rows from `srcRow0` on, `width` columns each; `mid` receives j1 − j0 rows, row-major.
 * Shared with the streaming form, so both sum in exactly this order.
 */
export function resizeAlongRows(src: Float64Array, srcRow0: number, width: number, rowsC: Contributions, j0: number, j1: number, mid: Float64Array): void {
  mid.fill(0, 0, (j1 - j0) * width);
  for (let r = j0; r < j1; r++) {
    const base = r * rowsC.taps;
    const dst = (r - j0) * width;
    for (let t = 0; t < rowsC.taps; t++) {
      const w = rowsC.weight[base + t]!;
      if (w === 0) continue;
      const s = (rowsC.index[base + t]! - srcRow0) * width;
      for (let c = 0; c < width; c++) mid[dst + c] = mid[dst + c]! + w * src[s + c]!;
    }
  }
}

/** The column pass: `rows` rows of `mid` (`width` columns) into `out` (colsC's output width) from output row `outRow0`. */
export function resizeAlongColumns(mid: Float64Array, width: number, rows: number, colsC: Contributions, out: Float64Array, outRow0: number): void {
  const outW = colsC.index.length / colsC.taps;
  for (let r = 0; r < rows; r++) {
    const srow = r * width;
    const drow = (outRow0 + r) * outW;
    for (let c = 0; c < outW; c++) {
      const base = c * colsC.taps;
      let v = 0;
      for (let t = 0; t < colsC.taps; t++) v += colsC.weight[base + t]! * mid[srow + colsC.index[base + t]!]!;
      out[drow + c] = v;
    }
  }
}
