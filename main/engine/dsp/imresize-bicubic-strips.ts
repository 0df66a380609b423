/**
 * @module main/engine/dsp/imresize-bicubic-strips
 * `imresizeBicubic` of one band computed in strips of output rows, reading only the source rows each strip needs
 * (its taps, mirrored at the image edges). Same weights and summation order as the whole-image function, so the
 * result is identical; memory is one strip of source rows plus the (small, when shrinking) output.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { contributions, resizeAlongColumns, resizeAlongRows } from './imresize-bicubic.ts';

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
    resizeAlongRows(src, lo, width, rowsC, j0, j1, mid);
    resizeAlongColumns(mid, width, j1 - j0, colsC, out, j0);
    options.onStrip?.(j1, outH);
  }
  return { bands: 1, width: outW, height: outH, data: out };
}
