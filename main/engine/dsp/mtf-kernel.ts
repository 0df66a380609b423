/**
 * @module main/engine/dsp/mtf-kernel
 * The toolbox's MTF-matched low-pass kernel (`genMTF.m`): a Gaussian whose response at the MS Nyquist frequency
 * equals the sensor's gain, used as a *frequency response*, sampled into a 41×41 FIR filter (`fsamp2`) and windowed
 * with a circularly rotated Kaiser(β = 0.5) window (`fwind1`, Huang's method). The result is deliberately not
 * renormalised (sum ≈ 0.9985–0.9989): every published index value was computed with these exact kernels.
 */
import { InputError } from '../errors.ts';
import { nyquistGains, type MtfSource } from './sensor-mtf.ts';

/** Side of the toolbox kernel (`N = 41` in genMTF.m). */
export const MTF_KERNEL_SIZE = 41;

/** A square, odd-sized correlation kernel, row-major. */
export interface Kernel2D {
  readonly size: number;
  readonly data: Float64Array;
}

/** Zeroth-order modified Bessel function of the first kind (power series; converges fast for the small β used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** MATLAB `kaiser(n, beta)`. */
function kaiserWindow(n: number, beta: number): Float64Array {
  const w = new Float64Array(n);
  const half = (n - 1) / 2;
  const norm = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = (i - half) / half;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
  }
  return w;
}

/**
 * The kernel for one band. `nyquistGain` in (0, 1); `ratio` is the PAN/MS scale ratio (cut-off 1/ratio).
 * Bit-exactly symmetric (h[r][c] = h[c][r] = h[N−1−r][c]), so correlation and convolution coincide.
 */
// Long: the toolbox's fspecial → fsamp2 → fwind1 chain in its own loop order, kept in one place for bit-exact kernels.
export function mtfKernel(nyquistGain: number, ratio = 4, size = MTF_KERNEL_SIZE): Kernel2D {
  if (!(nyquistGain > 0 && nyquistGain < 1)) {
    throw new InputError('bad-mtf-gain', `MTF Nyquist gain ${nyquistGain} is outside (0, 1)`, { gain: nyquistGain });
  }
  if (!(Number.isInteger(ratio) && ratio >= 2)) throw new InputError('bad-ratio', `scale ratio ${ratio} is not an integer ≥ 2`, { ratio });
  if (!(Number.isInteger(size) && size % 2 === 1 && size >= 3)) throw new RangeError(`kernel size ${size} is not an odd integer ≥ 3`);
  const n = size;
  const c = (n - 1) / 2;
  const fcut = 1 / ratio;
  const alpha = Math.sqrt(((n - 1) * (fcut / 2)) ** 2 / (-2 * Math.log(nyquistGain)));

  // fspecial('gaussian', N, alpha): exp(-(x²+y²)/(2α²)), entries below eps·max set to 0, normalised to sum 1.
  const hd = new Float64Array(n * n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = i - c;
      const y = j - c;
      const v = Math.exp(-(x * x + y * y) / (2 * alpha * alpha));
      hd[i * n + j] = v;
      if (v > max) max = v;
    }
  }
  let sum = 0;
  for (let k = 0; k < n * n; k++) {
    if (hd[k]! < Number.EPSILON * max) hd[k] = 0;
    sum += hd[k]!;
  }
  let hmax = 0;
  for (let k = 0; k < n * n; k++) {
    hd[k] = hd[k]! / sum;
    if (hd[k]! > hmax) hmax = hd[k]!;
  }
  for (let k = 0; k < n * n; k++) hd[k] = hd[k]! / hmax;

  // fsamp2: h0 = rot90(fftshift(ifft2(ifftshift(Hd))), 2). Hd is even about its centre in both axes, so the inverse
  // DFT reduces to a real cosine transform, h0 = C·Hd·Cᵀ / N² with C[m][k] = cos(2π(k−c)(m−c)/N). The angle's integer
  // numerator is folded to [0, N/2] so that C[m][k] is bit-identical for ±(m−c): this keeps the kernel exactly symmetric.
  const cos = new Float64Array(n * n);
  for (let m = 0; m < n; m++) {
    for (let k = 0; k < n; k++) {
      let p = ((((k - c) * (m - c)) % n) + n) % n;
      if (p > n - p) p = n - p;
      cos[m * n + k] = Math.cos((2 * Math.PI * p) / n);
    }
  }
  const tmp = new Float64Array(n * n); // tmp[k][col] = Σ_l Hd[k][l]·C[col][l]
  for (let k = 0; k < n; k++) {
    for (let col = 0; col < n; col++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += hd[k * n + l]! * cos[col * n + l]!;
      tmp[k * n + col] = s;
    }
  }
  // Only the octant 0 ≤ row ≤ col ≤ c is computed; mirroring it makes h exactly symmetric under both flips and the
  // transpose (the folded correlation in mtf-filter.ts relies on that).
  const h = new Float64Array(n * n);
  for (let row = 0; row <= c; row++) {
    for (let col = row; col <= c; col++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += cos[row * n + k]! * tmp[k * n + col]!;
      const v = s / (n * n);
      for (const [r, q] of [
        [row, col],
        [col, row],
      ] as const) {
        h[r * n + q] = v;
        h[(n - 1 - r) * n + q] = v;
        h[r * n + (n - 1 - q)] = v;
        h[(n - 1 - r) * n + (n - 1 - q)] = v;
      }
    }
  }

  // fwind1(Hd, kaiser(N)): the 1-D window rotated into a circular one by linear interpolation at radius
  // sqrt(t_r² + t_c²), t = (−c…c)·(1/c); zero outside the unit circle. Not renormalised.
  const w1 = kaiserWindow(n, 0.5);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = (i - c) * (2 / (n - 1));
  for (let r = 0; r < n; r++) {
    for (let q = 0; q < n; q++) {
      const radius = Math.sqrt(t[r]! * t[r]! + t[q]! * t[q]!);
      let w = 0;
      if (radius <= 1) {
        // interp1(t, w1, radius, 'linear') on the uniform grid t.
        let j = Math.min(n - 2, Math.max(0, Math.floor((radius - t[0]!) * c)));
        while (j < n - 2 && radius > t[j + 1]!) j++;
        while (j > 0 && radius < t[j]!) j--;
        const f = (radius - t[j]!) / (t[j + 1]! - t[j]!);
        w = w1[j]! + f * (w1[j + 1]! - w1[j]!);
      }
      h[r * n + q] = h[r * n + q]! * w;
    }
  }
  return { size: n, data: h };
}

/** One kernel per band, for a sensor name/alias or explicit gains (see `nyquistGains`). */
export function mtfKernels(source: MtfSource, bands: number, ratio = 4): Kernel2D[] {
  const gains = nyquistGains(source, bands);
  const cache = new Map<number, Kernel2D>();
  return gains.map((g) => {
    let k = cache.get(g);
    if (!k) {
      k = mtfKernel(g, ratio);
      cache.set(g, k);
    }
    return k;
  });
}
