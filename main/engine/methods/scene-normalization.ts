/**
 * @module main/engine/methods/scene-normalization
 * Scene standardisation, the value scale of the networks (manifest `valueScale.mode: "sceneStandardize"`): every MS
 * band and the PAN are mapped by the scene's own statistics, so a network sees the same numbers whether the file is
 * 8-bit, 11-bit in 16, 16-bit or float reflectance:
 *
 *   x_n = centre + spread · (x − mean) / std          (each MS band with its own, the PAN with its own)
 *   fused = msMean[b] + (fused_n − centre) · msStd[b] / spread      (the inverse, on the output)
 *
 * Statistics come once per scene from the bounded sample (every tile then uses the same parameters: no seams):
 * float64 mean and population standard deviation of each MS band over the sample's valid pixels, and of the PAN
 * sampled at those MS pixel centres (`SceneSample.panPoints`); a deviation of 0 becomes 1. The Python twin, used in
 * training, is models/panforge_models/normalization.py; tests hold the two to the same numbers.
 */
import type { BandBlock } from '../raster/band-block.ts';
import type { SceneSample } from './scene-sample.ts';

export interface StandardizeScale {
  readonly centre: number;
  readonly spread: number;
}

export interface SceneNormalization extends StandardizeScale {
  readonly msMean: readonly number[];
  readonly msStd: readonly number[];
  readonly panMean: number;
  readonly panStd: number;
}

/** Mean and population standard deviation of `values[i]` over the indices where `valid[i]`, in float64. */
function meanStd(values: Float32Array, valid: Uint8Array, count: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (valid[i]) sum += values[i]!;
  const mean = sum / count;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    if (valid[i]) {
      const d = values[i]! - mean;
      sq += d * d;
    }
  }
  const std = Math.sqrt(sq / count);
  return { mean, std: std > 0 ? std : 1 };
}

/** The statistics of a scene from its sample: pixels valid in every MS band and in the PAN point sample. */
export function sceneNormalization(sample: Pick<SceneSample, 'ms' | 'panPoints'>, scale: StandardizeScale): SceneNormalization {
  const { ms, panPoints } = sample;
  const plane = ms.width * ms.height;
  const valid = new Uint8Array(plane);
  let count = 0;
  for (let i = 0; i < plane; i++) {
    let ok = !Number.isNaN(panPoints.data[i]!);
    for (let b = 0; b < ms.bands && ok; b++) ok = !Number.isNaN(ms.data[b * plane + i]!);
    if (ok) {
      valid[i] = 1;
      count++;
    }
  }
  if (count === 0) throw new Error('scene normalisation: the sample has no pixel valid in PAN and every MS band');
  const msMean: number[] = [];
  const msStd: number[] = [];
  for (let b = 0; b < ms.bands; b++) {
    const { mean, std } = meanStd(ms.data.subarray(b * plane, (b + 1) * plane), valid, count);
    msMean.push(mean);
    msStd.push(std);
  }
  const pan = meanStd(panPoints.data.subarray(0, plane), valid, count);
  return { centre: scale.centre, spread: scale.spread, msMean, msStd, panMean: pan.mean, panStd: pan.std };
}

/** Writes the standardised MS block (band-major) into `out` from offset `at`. */
export function standardizeMs(norm: SceneNormalization, block: BandBlock, out: Float32Array, at: number): void {
  const plane = block.width * block.height;
  for (let b = 0; b < block.bands; b++) {
    const k = norm.spread / norm.msStd[b]!;
    const m = norm.msMean[b]!;
    const o = at + b * plane;
    const src = block.data.subarray(b * plane, (b + 1) * plane);
    for (let i = 0; i < plane; i++) out[o + i] = norm.centre + k * (src[i]! - m);
  }
}

export function standardizePan(norm: SceneNormalization, block: BandBlock, out: Float32Array, at: number): void {
  const k = norm.spread / norm.panStd;
  const src = block.data;
  for (let i = 0; i < src.length; i++) out[at + i] = norm.centre + k * (src[i]! - norm.panMean);
}

/** Network output (band-major, `bands` planes of `plane` values from `at`) back to DNs, clamped to [0, valueMax]. */
export function destandardize(norm: SceneNormalization, fused: Float32Array, at: number, bands: number, plane: number, valueMax: number): Float32Array {
  const data = new Float32Array(bands * plane);
  for (let b = 0; b < bands; b++) {
    const k = norm.msStd[b]! / norm.spread;
    const m = norm.msMean[b]!;
    for (let i = 0, o = at + b * plane; i < plane; i++) {
      // NaN stays NaN (min/max propagate it), as nodata must.
      data[b * plane + i] = Math.min(Math.max(m + (fused[o + i]! - norm.centre) * k, 0), valueMax);
    }
  }
  return data;
}

/** The parameters as output metadata (GDAL metadata item values are strings). */
export function normalizationMetadata(norm: SceneNormalization): Record<string, string> {
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toPrecision(10)).join(',');
  return {
    PANFORGE_VALUE_SCALE: 'sceneStandardize',
    PANFORGE_NORM_CENTRE_SPREAD: `${norm.centre},${norm.spread}`,
    PANFORGE_NORM_MS_MEAN: fmt(norm.msMean),
    PANFORGE_NORM_MS_STD: fmt(norm.msStd),
    PANFORGE_NORM_PAN_MEAN_STD: fmt([norm.panMean, norm.panStd]),
  };
}
