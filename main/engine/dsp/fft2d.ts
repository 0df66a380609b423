/**
 * @module main/engine/dsp/fft2d
 * A small in-place complex 2-D FFT for square power-of-two sizes (radix-2, iterative), used to apply the 41×41 MTF
 * kernel to whole scenes: per output pixel it costs ~100 flops instead of the direct correlation's ~900. Twiddles
 * come straight from Math.cos/sin (no recurrence), so the round-off stays near ε·log2(size) of the signal.
 */

export class Fft2D {
  readonly size: number;
  /** Twiddles per stage, contiguous: stage `len` uses [len/2, len) (cos, and ∓sin for forward/inverse). */
  private readonly twRe: Float64Array;
  private readonly twImForward: Float64Array;
  private readonly twImInverse: Float64Array;
  private readonly rev: Uint32Array;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size ${size} is not a power of two ≥ 2`);
    this.size = size;
    this.twRe = new Float64Array(size);
    this.twImForward = new Float64Array(size);
    this.twImInverse = new Float64Array(size);
    for (let len = 2; len <= size; len <<= 1) {
      const half = len >> 1;
      const step = size / len;
      for (let j = 0; j < half; j++) {
        const k = j * step;
        this.twRe[half + j] = Math.cos((2 * Math.PI * k) / size);
        const sin = Math.sin((2 * Math.PI * k) / size);
        this.twImForward[half + j] = -1 * sin;
        this.twImInverse[half + j] = sin;
      }
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** 1-D transforms of every row, in place. */
  private rows(re: Float64Array, im: Float64Array, twIm: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    const twRe = this.twRe;
    for (let offset = 0; offset < n * n; offset += n) {
      for (let i = 0; i < n; i++) {
        const j = rev[i]!;
        if (j > i) swap(re, im, offset + i, offset + j);
      }
      for (let half = 1; half < n; half <<= 1) {
        for (let i = 0; i < n; i += 2 * half) {
          for (let j = 0; j < half; j++) {
            const a = offset + i + j;
            butterfly(re, im, a, a + half, twRe[half + j]!, twIm[half + j]!);
          }
        }
      }
    }
  }

  /** 1-D transforms of every column, in place: the same butterflies, run along whole rows (contiguous memory). */
  private columns(re: Float64Array, im: Float64Array, twIm: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    const twRe = this.twRe;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        for (let c = 0, a = i * n, b = j * n; c < n; c++, a++, b++) swap(re, im, a, b);
      }
    }
    for (let half = 1; half < n; half <<= 1) {
      for (let i = 0; i < n; i += 2 * half) {
        for (let j = 0; j < half; j++) {
          const wr = twRe[half + j]!;
          const wi = twIm[half + j]!;
          for (let c = 0, a = (i + j) * n, b = a + half * n; c < n; c++, a++, b++) butterfly(re, im, a, b, wr, wi);
        }
      }
    }
  }

  /** Forward transform of a size×size row-major complex array, in place. */
  forward(re: Float64Array, im: Float64Array): void {
    this.rows(re, im, this.twImForward);
    this.columns(re, im, this.twImForward);
  }

  /** Inverse transform, in place, scaled by 1/size² (so inverse(forward(x)) = x). */
  inverse(re: Float64Array, im: Float64Array): void {
    this.rows(re, im, this.twImInverse);
    this.columns(re, im, this.twImInverse);
    const s = 1 / (this.size * this.size);
    for (let i = 0; i < re.length; i++) {
      re[i] = re[i]! * s;
      im[i] = im[i]! * s;
    }
  }
}

/** Exchanges complex elements a and b (the bit-reversal permutation's step). */
function swap(re: Float64Array, im: Float64Array, a: number, b: number): void {
  const tr = re[a]!;
  re[a] = re[b]!;
  re[b] = tr;
  const ti = im[a]!;
  im[a] = im[b]!;
  im[b] = ti;
}

/** One radix-2 butterfly in place: (a, b) ← (a + w·b, a − w·b), with twiddle w = wr + i·wi. */
function butterfly(re: Float64Array, im: Float64Array, a: number, b: number, wr: number, wi: number): void {
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
