/**
 * @module main/engine/dsp/fft2d
 * A small in-place complex 2-D FFT for square power-of-two sizes (radix-2, iterative), used to apply the 41×41 MTF
 * kernel to whole scenes: per output pixel it costs ~100 flops instead of the direct correlation's ~900. Twiddles
 * come straight from Math.cos/sin (no recurrence), so the round-off stays near ε·log2(size) of the signal.
 */

export class Fft2D {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;
  private readonly colRe: Float64Array;
  private readonly colIm: Float64Array;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size ${size} is not a power of two ≥ 2`);
    this.size = size;
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.colRe = new Float64Array(size);
    this.colIm = new Float64Array(size);
  }

  /** 1-D transform of `re`/`im` at [offset, offset + size); sign −1 forward, +1 inverse (unscaled). */
  private transform1d(re: Float64Array, im: Float64Array, offset: number, sign: number): void {
    const n = this.size;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const a = offset + i;
        const b = offset + j;
        const tr = re[a]!;
        re[a] = re[b]!;
        re[b] = tr;
        const ti = im[a]!;
        im[a] = im[b]!;
        im[b] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let i = 0; i < n; i += len) {
        for (let j = 0; j < half; j++) {
          const wr = this.cos[j * step]!;
          const wi = sign * this.sin[j * step]!;
          const a = offset + i + j;
          const b = a + half;
          const br = re[b]!;
          const bi = im[b]!;
          const tr = wr * br - wi * bi;
          const ti = wr * bi + wi * br;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }

  private transform2d(re: Float64Array, im: Float64Array, sign: number): void {
    const n = this.size;
    for (let r = 0; r < n; r++) this.transform1d(re, im, r * n, sign);
    const cr = this.colRe;
    const ci = this.colIm;
    for (let c = 0; c < n; c++) {
      for (let r = 0; r < n; r++) {
        cr[r] = re[r * n + c]!;
        ci[r] = im[r * n + c]!;
      }
      this.transform1d(cr, ci, 0, sign);
      for (let r = 0; r < n; r++) {
        re[r * n + c] = cr[r]!;
        im[r * n + c] = ci[r]!;
      }
    }
  }

  /** Forward transform of a size×size row-major complex array, in place. */
  forward(re: Float64Array, im: Float64Array): void {
    this.transform2d(re, im, -1);
  }

  /** Inverse transform, in place, scaled by 1/size² (so inverse(forward(x)) = x). */
  inverse(re: Float64Array, im: Float64Array): void {
    this.transform2d(re, im, 1);
    const s = 1 / (this.size * this.size);
    for (let i = 0; i < re.length; i++) {
      re[i] = re[i]! * s;
      im[i] = im[i]! * s;
    }
  }
}
