/**
 * @module main/engine/dsp/mtf-degrade-strips
 * `mtfDegrade` computed in strips of output rows: each strip reads its source rows plus the kernel radius (clipped at
 * the image edges, where the filter's replicated border then matches the whole image's), so the result equals the
 * whole-image function exactly while holding one strip of source rows per band. This is how Wald's protocol degrades
 * whole scenes (evaluate/wald-degrade.ts).
 */
import type { BandBlock } from '../raster/band-block.ts';
import { correlateReplicate, markNonFinite, type SampleGrid } from './mtf-filter.ts';
import type { Kernel2D } from './mtf-kernel.ts';

export interface MtfDegradeStripsOptions {
  /** Source size; both sides multiples of `ratio`. */
  readonly width: number;
  readonly height: number;
  readonly bands: number;
  /** One kernel per band. */
  readonly kernels: readonly Kernel2D[];
  readonly ratio: number;
  /** Source rows [row0, row1) of every band, band-major, all columns; nodata as NaN. */
  readonly readRows: (row0: number, row1: number) => Promise<BandBlock<Float64Array>>;
  /** Receives each strip of output rows, starting at output row `row0`. */
  readonly writeRows: (row0: number, block: BandBlock<Float64Array>) => Promise<void>;
  /** Output rows per strip [default 32]. */
  readonly stripRows?: number;
}

export async function mtfDegradeStrips(options: MtfDegradeStripsOptions): Promise<void> {
  const { width, height, bands, kernels, ratio } = options;
  if (width % ratio || height % ratio) throw new Error(`mtfDegradeStrips: ${width}×${height} is not a multiple of the ratio ${ratio}`);
  if (kernels.length !== bands) throw new Error(`${kernels.length} kernels for ${bands} bands`);
  const outWidth = width / ratio;
  const outHeight = height / ratio;
  const phase = Math.floor(ratio / 2);
  const radius = Math.max(...kernels.map((k) => (k.size - 1) / 2));
  const step = options.stripRows ?? 32;
  let padded: Float64Array | undefined;
  for (let o0 = 0; o0 < outHeight; o0 += step) {
    const o1 = Math.min(outHeight, o0 + step);
    const s0 = Math.max(0, o0 * ratio + phase - radius);
    const s1 = Math.min(height, (o1 - 1) * ratio + phase + radius + 1);
    const src = await options.readRows(s0, s1);
    const stripHeight = s1 - s0;
    const grid: SampleGrid = { row0: o0 * ratio + phase - s0, col0: phase, step: ratio, outWidth, outHeight: o1 - o0 };
    const out = new Float64Array(bands * outWidth * (o1 - o0));
    for (let b = 0; b < bands; b++) {
      const k = kernels[b]!;
      const need = (stripHeight + k.size - 1) * (width + k.size - 1);
      if (!padded || padded.length < need) padded = new Float64Array(need);
      const band = src.data.subarray(b * width * stripHeight, (b + 1) * width * stripHeight);
      const dst = out.subarray(b * outWidth * (o1 - o0), (b + 1) * outWidth * (o1 - o0));
      correlateReplicate(band, width, stripHeight, k, grid, dst, padded);
      markNonFinite(band, width, stripHeight, (k.size - 1) / 2, grid, dst);
    }
    await options.writeRows(o0, { bands, width: outWidth, height: o1 - o0, data: out });
  }
}
