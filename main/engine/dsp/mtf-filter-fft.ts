/**
 * @module main/engine/dsp/mtf-filter-fft
 * The same correlation as `correlateReplicate` (symmetric kernel, replicated borders), by FFT over overlapping
 * square blocks (overlap-save): each size×size input block yields its (size − kernel + 1)² interior outputs with no
 * wrap-around. The kernel is real and symmetric, so its spectrum is real, and two blocks of the same band ride in
 * one complex transform (real and imaginary parts) without interfering. Agrees with the direct correlation to
 * ~1e-15 relative (tested to 1e-12); ~8× faster on whole scenes. Non-finite inputs are read as 0 here (the caller
 * marks the outputs they reach).
 */
import { Fft2D } from './fft2d.ts';
import type { Kernel2D } from './mtf-kernel.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';

/** FFT block side: 256 keeps the working set in cache and wastes 40/256 of each side on overlap. */
export const FFT_BLOCK = 256;

const spectra = new WeakMap<Kernel2D, Float64Array>();
const ffts = new Map<number, Fft2D>();

function fftOf(size: number): Fft2D {
  let f = ffts.get(size);
  if (!f) {
    f = new Fft2D(size);
    ffts.set(size, f);
  }
  return f;
}

/** The kernel's (real) spectrum on a size×size grid, kernel centre at the origin. */
function kernelSpectrum(kernel: Kernel2D, size: number): Float64Array {
  const cached = spectra.get(kernel);
  if (cached && cached.length === size * size) return cached;
  const n = kernel.size;
  const R = (n - 1) / 2;
  const re = new Float64Array(size * size);
  const im = new Float64Array(size * size);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) re[((((r - R) % size) + size) % size) * size + ((((c - R) % size) + size) % size)] = kernel.data[r * n + c]!;
  }
  fftOf(size).forward(re, im);
  spectra.set(kernel, re); // imaginary part is round-off of an even kernel's transform: exactly 0 in theory
  return re;
}

/**
 * Correlates `src` (row-major width×height) with the symmetric `kernel`, replicated borders, writing the samples
 * of `rect` (the band's own coordinates) into `out` (row-major, rect-sized).
 */
export function correlateReplicateFft(
  src: Float64Array,
  width: number,
  height: number,
  kernel: Kernel2D,
  rect: PixelWindow,
  out: Float64Array,
  blockSize = FFT_BLOCK,
): void {
  const R = (kernel.size - 1) / 2;
  const useful = blockSize - 2 * R;
  if (useful < 1) throw new RangeError(`FFT block ${blockSize} is too small for a ${kernel.size}-tap kernel`);
  const fft = fftOf(blockSize);
  const spec = kernelSpectrum(kernel, blockSize);
  const outW = rect.width;
  const [rectR0, rectR1, rectC0, rectC1] = [rect.rowOff, rect.rowOff + rect.height, rect.colOff, rect.colOff + rect.width];
  const tiles: [number, number][] = [];
  for (let r = rectR0; r < rectR1; r += useful) for (let c = rectC0; c < rectC1; c += useful) tiles.push([r, c]);
  const re = new Float64Array(blockSize * blockSize);
  const im = new Float64Array(blockSize * blockSize);
  const load = (buf: Float64Array, tile: [number, number] | undefined) => {
    if (!tile) {
      buf.fill(0);
      return;
    }
    const [r0, c0] = tile;
    for (let i = 0; i < blockSize; i++) {
      const sr = Math.min(height - 1, Math.max(0, r0 - R + i)) * width;
      const o = i * blockSize;
      for (let j = 0; j < blockSize; j++) {
        const v = src[sr + Math.min(width - 1, Math.max(0, c0 - R + j))]!;
        // A non-finite input would spread over the whole transform: zero it here; correlateRegion marks the
        // outputs it really reaches.
        buf[o + j] = v - v === 0 ? v : 0;
      }
    }
  };
  const store = (buf: Float64Array, tile: [number, number] | undefined) => {
    if (!tile) return;
    const [r0, c0] = tile;
    const h = Math.min(useful, rectR1 - r0);
    const w = Math.min(useful, rectC1 - c0);
    for (let i = 0; i < h; i++) {
      const o = (i + R) * blockSize + R;
      const d = (r0 - rectR0 + i) * outW + (c0 - rectC0);
      for (let j = 0; j < w; j++) out[d + j] = buf[o + j]!;
    }
  };
  for (let t = 0; t < tiles.length; t += 2) {
    load(re, tiles[t]);
    load(im, tiles[t + 1]);
    fft.forward(re, im);
    for (let k = 0; k < re.length; k++) {
      re[k] = re[k]! * spec[k]!;
      im[k] = im[k]! * spec[k]!;
    }
    fft.inverse(re, im);
    store(re, tiles[t]);
    store(im, tiles[t + 1]);
  }
}
