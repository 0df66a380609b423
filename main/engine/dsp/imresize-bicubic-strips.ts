/**
 * @module main/engine/dsp/imresize-bicubic-strips
 * `imresizeBicubic` of one band computed in strips of output rows, reading only the source rows each strip needs
 * (its taps, mirrored at the image edges). Same weights and summation order as the whole-image function, so the
 * result is identical; memory is one strip of source rows plus the (small, when shrinking) output.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { contributions } from './imresize-bicubic.ts';

export interface ImresizeStripsOptions {
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  /** Source rows [row0, row1), all columns, row-major. */
  readonly readRows: (row0: number, row1: number) => Promise<Float64Array>;
  /** Output rows per strip [default 16]. */
  readonly stripRows?: number;
  /** Called after each strip (cancellation, progress). */
  readonly onStrip?: (rowsDone: number, rowsTotal: number) => void;
}

export async function imresizeBicubicStrips(options: ImresizeStripsOptions): Promise<BandBlock<Float64Array>> {
  const { width, height, scale } = options;
  const outH = Math.ceil(height * scale - 1e-9);
  const outW = Math.ceil(width * scale - 1e-9);
  const rowsC = contributions(height, outH, scale);
  const colsC = contributions(width, outW, scale);
  const out = new Float64Array(outW * outH);
  const step = options.stripRows ?? 16;
  const mid = new Float64Array(step * width);
  for (let j0 = 0; j0 < outH; j0 += step) {
    const j1 = Math.min(outH, j0 + step);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = j0 * rowsC.taps; i < j1 * rowsC.taps; i++) {
      lo = Math.min(lo, rowsC.index[i]!);
      hi = Math.max(hi, rowsC.index[i]!);
    }
    const src = await options.readRows(lo, hi + 1);
    mid.fill(0);
    for (let r = j0; r < j1; r++) {
      const base = r * rowsC.taps;
      const dst = (r - j0) * width;
      for (let t = 0; t < rowsC.taps; t++) {
        const w = rowsC.weight[base + t]!;
        if (w === 0) continue;
        const s = (rowsC.index[base + t]! - lo) * width;
        for (let c = 0; c < width; c++) mid[dst + c] = mid[dst + c]! + w * src[s + c]!;
      }
    }
    for (let r = j0; r < j1; r++) {
      const srow = (r - j0) * width;
      const drow = r * outW;
      for (let c = 0; c < outW; c++) {
        const base = c * colsC.taps;
        let v = 0;
        for (let t = 0; t < colsC.taps; t++) v += colsC.weight[base + t]! * mid[srow + colsC.index[base + t]!]!;
        out[drow + c] = v;
      }
    }
    options.onStrip?.(j1, outH);
  }
  return { bands: 1, width: outW, height: outH, data: out };
}
