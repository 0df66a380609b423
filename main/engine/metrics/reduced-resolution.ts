/**
 * @module main/engine/metrics/reduced-resolution
 * All reduced-resolution indices of one fused image against its reference (Wald's protocol), as the toolbox's
 * `indexes_evaluation(I_F, I_GT, ratio, L, 32, flag_cut_bounds = 0, dim_cut, th_values = 0)` reports them, plus
 * PSNR when a bit depth is given.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { ergas } from './ergas.ts';
import { psnr } from './psnr.ts';
import { q2n } from './q2n.ts';
import { qIndex } from './q-index.ts';
import { sam } from './sam.ts';
import { scc } from './scc.ts';
import { assertSameShape } from './shape-check.ts';
import { countInvalidBlocks, countInvalidPixels, countInvalidWindows } from './valid-pixels.ts';

export interface ReducedResolutionOptions {
  readonly ref: BandBlock<Float64Array>;
  readonly fused: BandBlock<Float64Array>;
  /** PAN/MS scale ratio (ERGAS). Default 4. */
  readonly ratio?: number;
  /** Bits per sample, for PSNR's peak 2^L − 1; PSNR is omitted without it. */
  readonly bitDepth?: number;
}

export interface ReducedResolutionIndices {
  readonly Q2n: number;
  readonly Q: number;
  readonly SAM_deg: number;
  readonly ERGAS: number;
  readonly SCC: number;
  readonly PSNR_dB?: number;
  /** What the NaN rule left out (see valid-pixels.ts). */
  readonly excluded: { readonly pixels: number; readonly q2nBlocks: number; readonly qWindows: number };
}

export function reducedResolutionIndices(options: ReducedResolutionOptions): ReducedResolutionIndices {
  const { ref, fused } = options;
  assertSameShape(ref, fused, ['reference', 'fused'], 'reduced-resolution indices');
  return {
    Q2n: q2n(ref, fused),
    Q: qIndex(ref, fused),
    SAM_deg: sam(ref, fused),
    ERGAS: ergas(ref, fused, options.ratio ?? 4),
    SCC: scc(ref, fused),
    ...(options.bitDepth !== undefined ? { PSNR_dB: psnr(ref, fused, { bitDepth: options.bitDepth }) } : {}),
    excluded: { pixels: countInvalidPixels(ref, fused), q2nBlocks: countInvalidBlocks(32, ref, fused), qWindows: countInvalidWindows(32, ref, fused) },
  };
}
