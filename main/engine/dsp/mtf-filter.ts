/**
 * @module main/engine/dsp/mtf-filter
 * The toolbox's `MTF.m`: each band correlated with its sensor's MTF kernel, replicated borders, 'same' size
 * (MATLAB `imfilter(x, h, 'replicate')`). Also the sampled form used by `mtfDegrade`, which evaluates the filter
 * only where the decimation keeps a sample (1/ratio² of the work), and an FFT path for whole scenes.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { correlateReplicateFft } from './mtf-filter-fft.ts';
import { type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';
import { type Kernel2D, mtfKernels } from './mtf-kernel.ts';
import type { MtfSource } from './sensor-mtf.ts';

/** Which output samples to compute: rows `row0 + i·step` (i < outHeight), same for columns. */
export interface SampleGrid {
  readonly row0: number;
  readonly col0: number;
  readonly step: number;
  readonly outWidth: number;
  readonly outHeight: number;
}

function assertSymmetric(k: Kernel2D): void {
  const n = k.size;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const v = k.data[r * n + c];
      if (v !== k.data[(n - 1 - r) * n + c] || v !== k.data[r * n + (n - 1 - c)]) {
        throw new Error(`kernel is not symmetric at (${r}, ${c}); the folded correlation needs h[r][c] = h[N−1−r][c] = h[r][N−1−c]`);
      }
    }
  }
}

/**
 * Correlates one band (row-major `width`×`height`) with a symmetric kernel, replicated borders, writing the samples
 * chosen by `grid` into `out` (row-major `outWidth`×`outHeight`). `padded` is scratch of at least
 * (height + size − 1)·(width + size − 1) values, reused across bands to avoid an allocation per band.
 *
 * The kernel is not separable (the circular Kaiser window), so this is a true 2-D correlation; its mirror symmetry
 * is used to fold rows and columns first, which needs ((N+1)/2)² multiplies per sample instead of N².
 */
export function correlateReplicate(
  src: Float64Array,
  width: number,
  height: number,
  kernel: Kernel2D,
  grid: SampleGrid,
  out: Float64Array,
  padded: Float64Array = new Float64Array((height + kernel.size - 1) * (width + kernel.size - 1)),
): void {
  const n = kernel.size;
  const R = (n - 1) / 2;
  const pw = width + 2 * R;
  const ph = height + 2 * R;
  for (let pr = 0; pr < ph; pr++) {
    const sr = Math.min(height - 1, Math.max(0, pr - R));
    const rowBase = sr * width;
    const dst = pr * pw;
    const first = src[rowBase]!;
    const last = src[rowBase + width - 1]!;
    for (let pc = 0; pc < R; pc++) padded[dst + pc] = first;
    for (let c = 0; c < width; c++) padded[dst + R + c] = src[rowBase + c]!;
    for (let pc = R + width; pc < pw; pc++) padded[dst + pc] = last;
  }
  const { row0, col0, step, outWidth, outHeight } = grid;
  const folded = new Float64Array(pw);
  const acc = new Float64Array(outWidth);
  const k = kernel.data;
  for (let orow = 0; orow < outHeight; orow++) {
    acc.fill(0);
    const centreRow = row0 + orow * step + R; // in padded coordinates
    for (let i = 0; i <= R; i++) {
      const up = (centreRow - i) * pw;
      if (i === 0) {
        for (let x = 0; x < pw; x++) folded[x] = padded[up + x]!;
      } else {
        const down = (centreRow + i) * pw;
        for (let x = 0; x < pw; x++) folded[x] = padded[up + x]! + padded[down + x]!;
      }
      const krow = (R + i) * n + R;
      for (let j = 0; j <= R; j++) {
        const w = k[krow + j]!;
        if (w === 0) continue;
        const x0 = col0 + R;
        if (step === 1) {
          // The common 'same'-size case, kept free of the stride so V8 compiles a tight loop.
          if (j === 0) {
            for (let oc = 0; oc < outWidth; oc++) acc[oc] = acc[oc]! + w * folded[x0 + oc]!;
          } else {
            const xl = x0 - j;
            const xr = x0 + j;
            for (let oc = 0; oc < outWidth; oc++) acc[oc] = acc[oc]! + w * (folded[xl + oc]! + folded[xr + oc]!);
          }
        } else {
          let x = x0;
          if (j === 0) {
            for (let oc = 0; oc < outWidth; oc++, x += step) acc[oc] = acc[oc]! + w * folded[x]!;
          } else {
            for (let oc = 0; oc < outWidth; oc++, x += step) acc[oc] = acc[oc]! + w * (folded[x - j]! + folded[x + j]!);
          }
        }
      }
    }
    out.set(acc, orow * outWidth);
  }
}

/** How to evaluate the correlation: 'direct' sums, FFT overlap-save, or 'auto' (FFT from 128×128 outputs up). */
export type FilterMethod = 'auto' | 'direct' | 'fft';

/** Below this many output pixels the direct sum is as fast as one FFT block and keeps the toolbox's sum order. */
const FFT_MIN_PIXELS = 128 * 128;

/**
 * Correlates one band with a symmetric kernel (replicated borders at the band's edges) on the output rectangle
 * `rect` (band coordinates), writing it row-major into `out`. `padded` is optional scratch for the direct method.
 */
export function correlateRegion(
  src: Float64Array,
  width: number,
  height: number,
  kernel: Kernel2D,
  rect: PixelWindow,
  out: Float64Array,
  method: FilterMethod = 'auto',
  padded?: Float64Array,
): void {
  const { width: outWidth, height: outHeight } = rect;
  if (method === 'fft' || (method === 'auto' && outWidth * outHeight >= FFT_MIN_PIXELS)) {
    correlateReplicateFft(src, width, height, kernel, rect, out);
  } else {
    correlateReplicate(src, width, height, kernel, { row0: rect.rowOff, col0: rect.colOff, step: 1, outWidth, outHeight }, out, padded);
  }
  markNonFinite(src, width, height, (kernel.size - 1) / 2, { row0: rect.rowOff, col0: rect.colOff, step: 1, outWidth, outHeight }, out);
}

/**
 * MATLAB's imfilter multiplies every tap, so a NaN/Inf input makes every output whose (2R+1)² window holds it NaN
 * (0·NaN = NaN, even on the kernel's zero corners). Both methods skip that (the FFT reads such inputs as 0, the direct
 * sum skips zero taps); this pass restores the rule. With replicated borders a pixel reaches exactly the outputs
 * within R of it, border pixels included. Costs one scan of the inputs that can reach the grid.
 */
export function markNonFinite(src: Float64Array, width: number, height: number, R: number, grid: SampleGrid, out: Float64Array): void {
  const { row0, col0, step, outWidth, outHeight } = grid;
  const rs = Math.max(0, row0 - R);
  const re = Math.min(height, row0 + (outHeight - 1) * step + R + 1);
  const cs = Math.max(0, col0 - R);
  const ce = Math.min(width, col0 + (outWidth - 1) * step + R + 1);
  for (let r = rs; r < re; r++) {
    for (let c = cs; c < ce; c++) {
      const v = src[r * width + c]!;
      if (v - v === 0) continue;
      const o0 = Math.max(0, Math.ceil((r - R - row0) / step));
      const o1 = Math.min(outHeight - 1, Math.floor((r + R - row0) / step));
      const p0 = Math.max(0, Math.ceil((c - R - col0) / step));
      const p1 = Math.min(outWidth - 1, Math.floor((c + R - col0) / step));
      for (let o = o0; o <= o1; o++) if (p1 >= p0) out.fill(NaN, o * outWidth + p0, o * outWidth + p1 + 1);
    }
  }
}

/** Every band of `block` low-passed with its own kernel (one per band), 'same' size. */
export function filterBands(block: BandBlock<Float64Array>, kernels: readonly Kernel2D[], method: FilterMethod = 'auto'): BandBlock<Float64Array> {
  const { bands, width, height } = block;
  if (kernels.length !== bands) throw new Error(`${kernels.length} kernels for ${bands} bands`);
  const size = width * height;
  const data = new Float64Array(bands * size);
  const rect = rasterWindow(width, height);
  let padded: Float64Array | undefined;
  for (let b = 0; b < bands; b++) {
    const k = kernels[b]!;
    assertSymmetric(k);
    const need = (height + k.size - 1) * (width + k.size - 1);
    if (method !== 'fft' && (!padded || padded.length < need)) padded = new Float64Array(need);
    correlateRegion(block.data.subarray(b * size, (b + 1) * size), width, height, k, rect, data.subarray(b * size, (b + 1) * size), method, padded);
  }
  return { bands, width, height, data };
}

/**
 * `MTF(I, sensor, ratio)`: the toolbox's sensor-matched low-pass of every band (replicated borders, 'same').
 * Large images go through the FFT (same values to ~1e-15 relative); `method` forces one or the other.
 */
export function mtfFilter(block: BandBlock<Float64Array>, source: MtfSource, ratio = 4, method: FilterMethod = 'auto'): BandBlock<Float64Array> {
  return filterBands(block, mtfKernels(source, block.bands, ratio), method);
}
