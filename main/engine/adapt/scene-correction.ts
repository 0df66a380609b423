/**
 * @module main/engine/adapt/scene-correction
 * The per-scene correction laid over any fusion method's output (DNs, so it does not depend on how a network
 * scales its inputs): for each band b, out_b = Σ_k w_bk·fused_k + c_b·msUp_b + d_b, with msUp the bicubic
 * up-sampled MS (EXP). Two shapes are fitted: 'gain' (only the band's own fused value: w_bk = 0 for k ≠ b) and
 * 'cross' (every fused band). Fitting is a closed-form ridge least squares whose penalty pulls towards the
 * identity (w = I, c = 0, d = 0), so a weak fit stays close to the method's own output. The coefficients are
 * global per scene, so applying them tile by tile is seam-free.
 */
import type { BandBlock, PixelArray } from '../raster/band-block.ts';

export type CorrectionKind = 'gain' | 'cross';

export interface SceneCorrection {
  readonly kind: CorrectionKind;
  readonly bands: number;
  /** Per output band: `bands` fused weights, then the msUp weight, then the offset (DN). */
  readonly coefficients: readonly (readonly number[])[];
}

/** Relative ridge strength: each coefficient's penalty is this × its column's energy (scale-free). */
export const RIDGE_ALPHA = 1e-3;

/** Normal-equation sums for one band's regression; pixels are added window by window. */
class NormalEquations {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  count = 0;

  constructor(readonly size: number) {
    this.xtx = new Float64Array(size * size);
    this.xty = new Float64Array(size);
  }

  add(x: Float64Array, y: number): void {
    const n = this.size;
    for (let r = 0; r < n; r++) {
      const xr = x[r]!;
      if (xr === 0) continue;
      this.xty[r]! += xr * y;
      const row = r * n;
      for (let c = r; c < n; c++) this.xtx[row + c]! += xr * x[c]!;
    }
    this.count++;
  }

  /** Solves (XᵀX + Λ) θ = Xᵀy + Λ θ0 with Λ = α·diag(XᵀX). */
  solve(prior: Float64Array, alpha: number): Float64Array {
    const n = this.size;
    const m = new Float64Array(n * (n + 1));
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) m[r * (n + 1) + c] = r <= c ? this.xtx[r * n + c]! : this.xtx[c * n + r]!;
      const penalty = alpha * this.xtx[r * n + r]!;
      m[r * (n + 1) + r]! += penalty;
      m[r * (n + 1) + n] = this.xty[r]! + penalty * prior[r]!;
    }
    for (let col = 0; col < n; col++) {
      let pivot = col;
      for (let r = col + 1; r < n; r++) if (Math.abs(m[r * (n + 1) + col]!) > Math.abs(m[pivot * (n + 1) + col]!)) pivot = r;
      if (pivot !== col) for (let c = 0; c <= n; c++) [m[col * (n + 1) + c], m[pivot * (n + 1) + c]] = [m[pivot * (n + 1) + c]!, m[col * (n + 1) + c]!];
      const d = m[col * (n + 1) + col]!;
      if (Math.abs(d) < 1e-300) continue;
      for (let r = 0; r < n; r++) {
        if (r === col) continue;
        const f = m[r * (n + 1) + col]! / d;
        if (f !== 0) for (let c = col; c <= n; c++) m[r * (n + 1) + c]! -= f * m[col * (n + 1) + c]!;
      }
    }
    const x = new Float64Array(n);
    // A singular direction (a constant band) keeps its prior value.
    for (let r = 0; r < n; r++) {
      const d = m[r * (n + 1) + r]!;
      x[r] = Math.abs(d) < 1e-300 ? prior[r]! : m[r * (n + 1) + n]! / d;
    }
    return x;
  }
}

/** One training window: the method's output, the up-sampled MS and the reference, all on one grid, plus the
 * rectangle (inside them) whose pixels count. */
export interface CorrectionSample {
  readonly fused: BandBlock<PixelArray>;
  readonly msUp: BandBlock<PixelArray>;
  readonly reference: BandBlock<PixelArray>;
  readonly rect: { readonly colOff: number; readonly rowOff: number; readonly width: number; readonly height: number };
}

/** The coefficients that leave every output unchanged. */
export function identityCorrection(kind: CorrectionKind, bands: number): SceneCorrection {
  const coefficients = Array.from({ length: bands }, (_, b) => Array.from({ length: bands + 2 }, (_, k) => (k === b ? 1 : 0)));
  return { kind, bands, coefficients };
}

/** Fits a correction of `kind` on the samples' pixels (those finite in every input). */
export function fitCorrection(kind: CorrectionKind, samples: readonly CorrectionSample[], alpha = RIDGE_ALPHA): SceneCorrection {
  const bands = samples[0]!.fused.bands;
  const size = kind === 'cross' ? bands + 2 : 3;
  const systems = Array.from({ length: bands }, () => new NormalEquations(size));
  const x = new Float64Array(size);
  const pixel = new Float64Array(bands);
  for (const s of samples) {
    const plane = s.fused.width * s.fused.height;
    for (let r = s.rect.rowOff; r < s.rect.rowOff + s.rect.height; r++) {
      for (let c = s.rect.colOff; c < s.rect.colOff + s.rect.width; c++) {
        const i = r * s.fused.width + c;
        let finite = true;
        for (let b = 0; b < bands && finite; b++) {
          pixel[b] = s.fused.data[b * plane + i]!;
          finite = Number.isFinite(pixel[b]) && Number.isFinite(s.msUp.data[b * plane + i]!) && Number.isFinite(s.reference.data[b * plane + i]!);
        }
        if (!finite) continue;
        for (let b = 0; b < bands; b++) {
          if (kind === 'cross') x.set(pixel, 0);
          else x[0] = pixel[b]!;
          x[size - 2] = s.msUp.data[b * plane + i]!;
          x[size - 1] = 1;
          systems[b]!.add(x, s.reference.data[b * plane + i]!);
        }
      }
    }
  }
  const coefficients = systems.map((system, b) => {
    const prior = new Float64Array(size);
    prior[kind === 'cross' ? b : 0] = 1;
    const theta = system.count > size ? system.solve(prior, alpha) : prior;
    const row = new Array<number>(bands + 2).fill(0);
    if (kind === 'cross') for (let k = 0; k < bands; k++) row[k] = theta[k]!;
    else row[b] = theta[0]!;
    row[bands] = theta[size - 2]!;
    row[bands + 1] = theta[size - 1]!;
    return row;
  });
  return { kind, bands, coefficients };
}

/** The corrected block (Float32): negative results are clipped at 0 (DNs), non-finite inputs stay non-finite. */
export function applyCorrection(correction: SceneCorrection, fused: BandBlock<PixelArray>, msUp: BandBlock<PixelArray>): BandBlock {
  const { bands } = correction;
  if (fused.bands !== bands || msUp.bands !== bands || msUp.width !== fused.width || msUp.height !== fused.height) {
    throw new Error(`correction for ${bands} bands applied to fused ${fused.bands}×${fused.width}×${fused.height} and msUp ${msUp.bands}×${msUp.width}×${msUp.height}`);
  }
  const plane = fused.width * fused.height;
  const out = new Float32Array(bands * plane);
  for (let b = 0; b < bands; b++) {
    const row = correction.coefficients[b]!;
    const dst = out.subarray(b * plane, (b + 1) * plane);
    dst.fill(row[bands + 1]!);
    for (let k = 0; k < bands; k++) {
      const w = row[k]!;
      if (w === 0) continue;
      const src = fused.data.subarray(k * plane, (k + 1) * plane);
      for (let i = 0; i < plane; i++) dst[i]! += w * src[i]!;
    }
    const c = row[bands]!;
    const up = msUp.data.subarray(b * plane, (b + 1) * plane);
    for (let i = 0; i < plane; i++) {
      const v = dst[i]! + c * up[i]!;
      dst[i] = v < 0 ? 0 : v;
    }
  }
  return { bands, width: fused.width, height: fused.height, data: out };
}
