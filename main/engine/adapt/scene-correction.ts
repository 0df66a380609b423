/**
 * @module main/engine/adapt/scene-correction
 * The per-scene correction laid over any fusion method's output (DNs, so it does not depend on how a network
 * scales its inputs): for each band b, out_b = Σ_k w_bk·fused_k + c_b·msUp_b + e_b·panDetail + g_b·glp_b + d_b, with
 * msUp the bicubic up-sampled MS (EXP), panDetail the PAN minus its ratio-block mean up-sampled the same way (the
 * detail an MRA method injects) and glp the MTF-GLP output with the sensor's filters. Five shapes: 'gain' (the band's
 * own fused value only), 'cross' (every fused band), 'cross-pan' (cross plus PAN detail), and 'gain-glp' / 'cross-glp'
 * (gain / cross plus MTF-GLP). The networks add their detail to an MTF-GLP-like base, so the -glp shapes re-weight, per
 * band, what a network adds against what the sensor's own MRA would: on sensors a network never saw this is what
 * recovers the spectral angle (models/README.md, issue 14's table). Fitting is a closed-form ridge least squares
 * whose penalty pulls towards the identity (w = I, c = e = g = d = 0), so a weak fit stays close to the method's own
 * output. The coefficients are global per scene and every input is computed inside a tile's read window, so applying
 * them tile by tile is seam-free.
 */
import { upsampleBicubic } from '../methods/classical/bicubic.ts';
import type { BandBlock, PixelArray } from '../raster/band-block.ts';
import { solveAugmented } from '../numeric/linear-system.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';

export type CorrectionKind = 'gain' | 'cross' | 'cross-pan' | 'gain-glp' | 'cross-glp';
export const CORRECTION_KINDS: readonly CorrectionKind[] = ['gain', 'cross', 'cross-pan', 'gain-glp', 'cross-glp'];

export interface SceneCorrection {
  readonly kind: CorrectionKind;
  readonly bands: number;
  /** Per output band: `bands` fused weights, the msUp weight, the panDetail weight, the MTF-GLP weight, the offset (DN). */
  readonly coefficients: readonly (readonly number[])[];
}

/** Coefficients per output band for `bands` bands. */
export const rowLength = (bands: number) => bands + 4;

/** Which inputs a correction needs besides the fused block and the up-sampled MS. */
export function correctionInputs(correction: SceneCorrection): { readonly panDetail: boolean; readonly glp: boolean } {
  const { bands } = correction;
  return {
    panDetail: correction.coefficients.some((row) => row[bands + 1] !== 0),
    glp: correction.coefficients.some((row) => row[bands + 2] !== 0),
  };
}

/**
 * PAN minus the bicubic up-sampling of its ratio×ratio block means: high-pass detail computed from the block alone
 * (block sides multiples of `ratio`, aligned with the MS grid, as tiles and Wald windows are).
 */
export function panDetail(pan: BandBlock<PixelArray>, ratio: number): BandBlock {
  const w = pan.width / ratio;
  const h = pan.height / ratio;
  const low = new Float32Array(w * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let sum = 0;
      for (let dr = 0; dr < ratio; dr++) for (let dc = 0; dc < ratio; dc++) sum += pan.data[(r * ratio + dr) * pan.width + c * ratio + dc]!;
      low[r * w + c] = sum / (ratio * ratio);
    }
  }
  const up = upsampleBicubic({ bands: 1, width: w, height: h, data: low }, ratio);
  const out = new Float32Array(pan.width * pan.height);
  for (let i = 0; i < out.length; i++) out[i] = pan.data[i]! - up.data[i]!;
  return { bands: 1, width: pan.width, height: pan.height, data: out };
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
    // A singular direction (a constant band) keeps its prior value.
    return solveAugmented(m, n, prior);
  }
}

/** One training window: the method's output, the up-sampled MS, the PAN detail, the MTF-GLP output and the
 * reference, all on one grid, plus the window (inside them) whose pixels count. */
export interface CorrectionSample {
  readonly fused: BandBlock<PixelArray>;
  readonly msUp: BandBlock<PixelArray>;
  readonly panDetail: BandBlock<PixelArray>;
  /** Needed by the -glp shapes only. */
  readonly glp: BandBlock<PixelArray> | null;
  readonly reference: BandBlock<PixelArray>;
  readonly rect: PixelWindow;
}

/** The coefficients that leave every output unchanged. */
export function identityCorrection(kind: CorrectionKind, bands: number): SceneCorrection {
  const coefficients = Array.from({ length: bands }, (_, b) => Array.from({ length: rowLength(bands) }, (_, k) => (k === b ? 1 : 0)));
  return { kind, bands, coefficients };
}

/** Fits a correction of `kind` on the samples' pixels (those finite in every input). */
export function fitCorrection(kind: CorrectionKind, samples: readonly CorrectionSample[], alpha = RIDGE_ALPHA): SceneCorrection {
  const bands = samples[0]!.fused.bands;
  // Unknowns per band: fused weight(s), msUp, [panDetail], [glp], offset.
  const ownBandOnly = kind === 'gain' || kind === 'gain-glp';
  const fusedTerms = ownBandOnly ? 1 : bands;
  const usesPan = kind === 'cross-pan';
  const usesGlp = kind === 'gain-glp' || kind === 'cross-glp';
  if (usesGlp && samples.some((s) => !s.glp)) throw new Error(`a ${kind} correction needs the MTF-GLP output of every sample`);
  const panAt = fusedTerms + 1;
  const glpAt = panAt + (usesPan ? 1 : 0);
  const size = glpAt + (usesGlp ? 1 : 0) + 1;
  const systems = Array.from({ length: bands }, () => new NormalEquations(size));
  const x = new Float64Array(size);
  const pixel = new Float64Array(bands);
  for (const s of samples) {
    const plane = s.fused.width * s.fused.height;
    for (let r = s.rect.rowOff; r < s.rect.rowOff + s.rect.height; r++) {
      for (let c = s.rect.colOff; c < s.rect.colOff + s.rect.width; c++) {
        const i = r * s.fused.width + c;
        const detail = s.panDetail.data[i]!;
        let finite = Number.isFinite(detail);
        for (let b = 0; b < bands && finite; b++) {
          pixel[b] = s.fused.data[b * plane + i]!;
          finite =
            Number.isFinite(pixel[b]) &&
            Number.isFinite(s.msUp.data[b * plane + i]!) &&
            Number.isFinite(s.reference.data[b * plane + i]!) &&
            (!usesGlp || Number.isFinite(s.glp!.data[b * plane + i]!));
        }
        if (!finite) continue;
        for (let b = 0; b < bands; b++) {
          if (ownBandOnly) x[0] = pixel[b]!;
          else x.set(pixel, 0);
          x[fusedTerms] = s.msUp.data[b * plane + i]!;
          if (usesPan) x[panAt] = detail;
          if (usesGlp) x[glpAt] = s.glp!.data[b * plane + i]!;
          x[size - 1] = 1;
          systems[b]!.add(x, s.reference.data[b * plane + i]!);
        }
      }
    }
  }
  const coefficients = systems.map((system, b) => {
    const prior = new Float64Array(size);
    prior[ownBandOnly ? 0 : b] = 1;
    const theta = system.count > size ? system.solve(prior, alpha) : prior;
    const row = new Array<number>(rowLength(bands)).fill(0);
    if (ownBandOnly) row[b] = theta[0]!;
    else for (let k = 0; k < bands; k++) row[k] = theta[k]!;
    row[bands] = theta[fusedTerms]!;
    row[bands + 1] = usesPan ? theta[panAt]! : 0;
    row[bands + 2] = usesGlp ? theta[glpAt]! : 0;
    row[bands + 3] = theta[size - 1]!;
    return row;
  });
  return { kind, bands, coefficients };
}

/** The corrected block (Float32): negative results are clipped at 0 (DNs), non-finite inputs stay non-finite.
 * `detail` (panDetail of the PAN on the same grid) and `glp` (the MTF-GLP output) are needed only when the
 * correction uses them. */
export function applyCorrection(
  correction: SceneCorrection,
  fused: BandBlock<PixelArray>,
  msUp: BandBlock<PixelArray>,
  detail: BandBlock<PixelArray> | null,
  glp: BandBlock<PixelArray> | null = null,
): BandBlock {
  const { bands } = correction;
  if (fused.bands !== bands || msUp.bands !== bands || msUp.width !== fused.width || msUp.height !== fused.height) {
    throw new Error(
      `correction for ${bands} bands applied to fused ${fused.bands}×${fused.width}×${fused.height} and msUp ${msUp.bands}×${msUp.width}×${msUp.height}`,
    );
  }
  const plane = fused.width * fused.height;
  const needs = correctionInputs(correction);
  if (needs.panDetail && (!detail || detail.width !== fused.width || detail.height !== fused.height))
    throw new Error('this correction needs the PAN detail on the fused grid');
  if (needs.glp && (!glp || glp.bands !== bands || glp.width !== fused.width || glp.height !== fused.height))
    throw new Error('this correction needs the MTF-GLP output on the fused grid');
  const out = new Float32Array(bands * plane);
  for (let b = 0; b < bands; b++) {
    const row = correction.coefficients[b]!;
    const dst = out.subarray(b * plane, (b + 1) * plane);
    dst.fill(row[bands + 3]!);
    for (let k = 0; k < bands; k++) {
      const w = row[k]!;
      if (w === 0) continue;
      const src = fused.data.subarray(k * plane, (k + 1) * plane);
      for (let i = 0; i < plane; i++) dst[i]! += w * src[i]!;
    }
    const e = row[bands + 1]!;
    if (e !== 0) for (let i = 0; i < plane; i++) dst[i]! += e * detail!.data[i]!;
    const g = row[bands + 2]!;
    if (g !== 0) {
      const src = glp!.data.subarray(b * plane, (b + 1) * plane);
      for (let i = 0; i < plane; i++) dst[i]! += g * src[i]!;
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
