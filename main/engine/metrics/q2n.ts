/**
 * @module main/engine/metrics/q2n
 * Q2n (Q4 for 4 bands, Q8 for 8; Garzelli & Nencini's hypercomplex UIQI) exactly as the toolbox's `q2n.m` /
 * `onions_quality.m` compute it, quirks included:
 * 1. sides padded bottom/right by mirroring with the edge repeated, up to a whole number of blocks;
 * 2. both images cast to uint16 (round half away from zero, clip to [0, 65535], NaN → 0): float or [0, 1]-scaled
 *    data are quantised and negative values become 0;
 * 3. band count padded to a power of two with all-zero bands;
 * 4. per block, both images normalised with the *reference's* mean and std (std = eps when 0; mean == 0 → the fused
 *    band is only shifted by 1), then |q| of the hypercomplex correlation × contrast × mean-bias product;
 * 5. mean over blocks.
 * NaN handling (ours; the toolbox would cast NaN to 0): blocks that contain a non-finite pixel in any band of either
 * image are left out of the mean (see valid-pixels.ts). Constant blocks follow the toolbox (σ² == 0 branch).
 */
import type { BandBlock } from '../raster/band-block.ts';
import { applyOnionTable, onionTable, type OnionTable } from './hypercomplex.ts';
import { assertMinSize, assertSameShape } from './shape-check.ts';
import { mirrorIndex } from './valid-pixels.ts';

export interface Q2nOptions {
  /** Block side in pixels. Default 32 (the toolbox's `Q_blocks_size`). */
  readonly blockSize?: number;
  /** Block step in pixels. Default = blockSize (distinct blocks). */
  readonly shift?: number;
}

/** MATLAB `uint16(x)` as a double: round half away from zero, saturate, NaN → 0. */
export function toUint16(v: number): number {
  if (v >= 65535) return 65535;
  if (v > 0) return Math.round(v); // positive: Math.round's half-up is half away from zero
  return 0; // negatives, −0 and NaN
}

/** Per-block workspace, allocated once per image (or per accumulator) and reused for every block. */
export class Q2nBlockKernel {
  readonly n: number;
  readonly pixels: number;
  /** x (reference) and y (fused), component-major: `[component * pixels + p]`, uint16-cast values. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  private readonly table: OnionTable;
  private readonly m1: Float64Array;
  private readonly m2: Float64Array;
  private readonly cross: Float64Array;
  private readonly prod: Float64Array;
  private readonly prodMean: Float64Array;

  constructor(bands: number, blockSize: number) {
    this.n = 2 ** Math.ceil(Math.log2(bands));
    this.pixels = blockSize * blockSize;
    this.x = new Float64Array(this.n * this.pixels);
    this.y = new Float64Array(this.n * this.pixels);
    this.table = onionTable(this.n);
    this.m1 = new Float64Array(this.n);
    this.m2 = new Float64Array(this.n);
    this.cross = new Float64Array(this.n * this.n);
    this.prod = new Float64Array(this.n);
    this.prodMean = new Float64Array(this.n);
  }

  /** |q| of the block held in `x`, `y` (`onions_quality.m`). Padding components must be zero. Clobbers x and y. */
  // Long: follows onions_quality.m statement by statement so its sums round as the toolbox's do (bit-exact Q2n).
  blockValue(): number {
    const { n, pixels: P, x, y } = this;
    // norm_blocco on the reference band; the fused band gets the reference's mean/std; then y is conjugated.
    for (let b = 0; b < n; b++) {
      const o = b * P;
      let s = 0;
      for (let p = 0; p < P; p++) s += x[o + p]!;
      const mu = s / P;
      let ss = 0;
      for (let p = 0; p < P; p++) {
        const d = x[o + p]! - mu;
        ss += d * d;
      }
      let sd = Math.sqrt(ss / (P - 1));
      if (sd === 0) sd = Number.EPSILON;
      for (let p = 0; p < P; p++) x[o + p] = (x[o + p]! - mu) / sd + 1;
      const sign = b === 0 ? 1 : -1;
      if (mu === 0) {
        for (let p = 0; p < P; p++) y[o + p] = sign * (y[o + p]! - mu + 1);
      } else {
        for (let p = 0; p < P; p++) y[o + p] = sign * ((y[o + p]! - mu) / sd + 1);
      }
    }
    const { m1, m2 } = this;
    let q1m = 0;
    let q2m = 0;
    for (let b = 0; b < n; b++) {
      let s1 = 0;
      let s2 = 0;
      for (let p = 0; p < P; p++) {
        s1 += x[b * P + p]!;
        s2 += y[b * P + p]!;
      }
      m1[b] = s1 / P;
      m2[b] = s2 / P;
      q1m += m1[b]! * m1[b]!;
      q2m += m2[b]! * m2[b]!;
    }
    const modQ1m = Math.sqrt(q1m);
    const modQ2m = Math.sqrt(q2m);
    // mean2(mod_q.^2) with mod_q = sqrt(Σ_b component²) per pixel, as the toolbox rounds it.
    let a1 = 0;
    let a2 = 0;
    for (let p = 0; p < P; p++) {
      let s1 = 0;
      let s2 = 0;
      for (let b = 0; b < n; b++) {
        const u = x[b * P + p]!;
        const v = y[b * P + p]!;
        s1 += u * u;
        s2 += v * v;
      }
      const r1 = Math.sqrt(s1);
      const r2 = Math.sqrt(s2);
      a1 += r1 * r1;
      a2 += r2 * r2;
    }
    const f = P / (P - 1);
    const int1 = f * (a1 / P);
    const int2 = f * (a2 / P);
    const termine2 = modQ1m * modQ2m;
    const termine4 = modQ1m ** 2 + modQ2m ** 2;
    const termine3 = int1 + int2 - f * (modQ1m ** 2 + modQ2m ** 2);
    const meanBias = (2 * termine2) / termine4;
    if (termine3 === 0) return Math.abs(meanBias); // q = (0, …, 0, meanBias)
    // mean over pixels of x ⊗ y*: the product is bilinear, so apply it to the mean cross-moments.
    const { cross, table, prod, prodMean } = this;
    for (let i = 0; i < n; i++) {
      const xo = i * P;
      for (let j = 0; j < n; j++) {
        const yo = j * P;
        let s = 0;
        for (let p = 0; p < P; p++) s += x[xo + p]! * y[yo + p]!;
        cross[i * n + j] = s / P;
      }
    }
    applyOnionTable(table, cross, prodMean);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cross[i * n + j] = m1[i]! * m2[j]!;
    applyOnionTable(table, cross, prod);
    let norm = 0;
    for (let k = 0; k < n; k++) {
      const qk = ((f * prodMean[k]! - f * prod[k]!) * meanBias * 2) / termine3;
      norm += qk * qk;
    }
    return Math.sqrt(norm);
  }

  /**
   * Loads the block whose top-left corner is (row0, col0) on the padded grid of the full image (mirror padding,
   * uint16 cast, zero padding bands). `ref`/`fused` may be a tile of the full image: `at` says where it lies and how
   * big the full image is (default: the block is the whole image). Returns false if the block contains a non-finite
   * pixel. Throws a plain Error (a tiling bug) if the tile lacks a pixel the block needs.
   */
  load(
    ref: BandBlock<Float64Array>,
    fused: BandBlock<Float64Array>,
    row0: number,
    col0: number,
    blockSize: number,
    at: TilePlacement = wholeImage(ref),
  ): boolean {
    const { width, height, bands } = ref;
    const P = this.pixels;
    const plane = width * height;
    for (let r = 0; r < blockSize; r++) {
      const lr = mirrorIndex(row0 + r, at.imageHeight) - at.rowOff;
      if (lr < 0 || lr >= height)
        throw new Error(
          `Q2n block at (${row0}, ${col0}) needs image row ${lr + at.rowOff}, outside the tile rows ${at.rowOff}…${at.rowOff + height - 1}; give the tile a halo`,
        );
    }
    for (let c = 0; c < blockSize; c++) {
      const lc = mirrorIndex(col0 + c, at.imageWidth) - at.colOff;
      if (lc < 0 || lc >= width)
        throw new Error(
          `Q2n block at (${row0}, ${col0}) needs image column ${lc + at.colOff}, outside the tile columns ${at.colOff}…${at.colOff + width - 1}; give the tile a halo`,
        );
    }
    for (let b = 0; b < bands; b++) {
      for (let r = 0; r < blockSize; r++) {
        const sr = (mirrorIndex(row0 + r, at.imageHeight) - at.rowOff) * width;
        for (let c = 0; c < blockSize; c++) {
          const si = b * plane + sr + mirrorIndex(col0 + c, at.imageWidth) - at.colOff;
          const u = ref.data[si]!;
          const v = fused.data[si]!;
          if (u - u !== 0 || v - v !== 0) return false;
          this.x[b * P + r * blockSize + c] = toUint16(u);
          this.y[b * P + r * blockSize + c] = toUint16(v);
        }
      }
    }
    this.x.fill(0, bands * P);
    this.y.fill(0, bands * P);
    return true;
  }
}

/** Where a block of pixels lies in the full image, and the full image's size. */
export interface TilePlacement {
  readonly rowOff: number;
  readonly colOff: number;
  readonly imageWidth: number;
  readonly imageHeight: number;
}

export function wholeImage(b: BandBlock<Float64Array>): TilePlacement {
  return { rowOff: 0, colOff: 0, imageWidth: b.width, imageHeight: b.height };
}

/** Block values of Q2n over the padded grid, in row-major block order (NaN for excluded blocks). */
export function q2nMap(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, options: Q2nOptions = {}): BandBlock<Float64Array> {
  const blockSize = options.blockSize ?? 32;
  const shift = options.shift ?? blockSize;
  assertSameShape(ref, fused, ['reference', 'fused'], 'Q2n');
  assertMinSize(ref, blockSize, blockSize, 'Q2n', `one ${blockSize}×${blockSize} block`);
  if (!(Number.isInteger(shift) && shift >= 1 && shift <= blockSize)) throw new RangeError(`Q2n shift ${shift} must be an integer in [1, ${blockSize}]`);
  const stepsY = Math.ceil(ref.height / shift);
  const stepsX = Math.ceil(ref.width / shift);
  // The padded size, (steps − 1)·shift + blockSize, must stay within one mirror of the image.
  const padY = (stepsY - 1) * shift + blockSize - ref.height;
  const padX = (stepsX - 1) * shift + blockSize - ref.width;
  if (padY > ref.height || padX > ref.width) throw new RangeError(`Q2n padding ${padY}×${padX} exceeds the image ${ref.height}×${ref.width}`);
  const kernel = new Q2nBlockKernel(ref.bands, blockSize);
  const map = new Float64Array(stepsY * stepsX);
  for (let j = 0; j < stepsY; j++) {
    for (let i = 0; i < stepsX; i++) {
      map[j * stepsX + i] = kernel.load(ref, fused, j * shift, i * shift, blockSize) ? kernel.blockValue() : NaN;
    }
  }
  return { bands: 1, width: stepsX, height: stepsY, data: map };
}

/**
 * Q2n of `fused` against `ref` (same shape, at least one block in each direction; InputError otherwise).
 * NaN when every block was excluded for non-finite pixels.
 */
export function q2n(ref: BandBlock<Float64Array>, fused: BandBlock<Float64Array>, options: Q2nOptions = {}): number {
  const map = q2nMap(ref, fused, options).data;
  let sum = 0;
  let count = 0;
  for (const v of map) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? NaN : sum / count;
}
