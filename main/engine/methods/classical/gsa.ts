/**
 * @module main/engine/methods/classical/gsa
 * Adaptive Gram–Schmidt (the toolbox's GSA.m): the intensity I is a regression of the low-resolution PAN on the
 * mean-removed MS bands (plus a constant); PAN is equalised to I; each EXP band gets g_b·(PAN_eq − I) with
 * g_b = cov(I, band_b) / var(I). Regression weights and gains are global, estimated on the scene sample (MS at
 * its own resolution, PAN averaged onto it) rather than on the full image.
 */
import type { FusionMethod, PrepareOptions } from '../method.ts';
import { expInjectionMethod, type InjectDetail } from './exp-injection.ts';
import { combinationStats, leastSquares, type GlobalStats } from './global-stats.ts';
import { plane } from './tile-float64.ts';

function prepareGsa(options: PrepareOptions, stats: GlobalStats): InjectDetail {
  const { sample } = options;
  const bands = sample.ms.bands;
  const msPlane = sample.ms.width * sample.ms.height;
  const columns: Float64Array[] = [];
  for (let b = 0; b < bands; b++) columns.push(Float64Array.from(stats.valid, (i) => sample.ms.data[b * msPlane + i]! - stats.msMean[b]!));
  columns.push(new Float64Array(stats.valid.length).fill(1));
  const panLow = Float64Array.from(stats.valid, (i) => sample.panLow.data[i]!);
  const panLowMean = panLow.reduce((s, v) => s + v, 0) / Math.max(1, panLow.length);
  for (let k = 0; k < panLow.length; k++) panLow[k]! -= panLowMean;
  const alpha = leastSquares(columns, panLow);
  // I = Σ α_b (MS_b − μ_b) + α_0 ; written as weights on MS plus an offset.
  let offset = alpha[bands]!;
  for (let b = 0; b < bands; b++) offset -= alpha[b]! * stats.msMean[b]!;
  const intensity = combinationStats(sample, stats, alpha.subarray(0, bands), offset);
  const varI = intensity.std ** 2 || Number.EPSILON;
  const g = new Float64Array(bands);
  for (let b = 0; b < bands; b++) {
    let cov = 0;
    stats.valid.forEach((i, k) => {
      cov += (intensity.values[k]! - intensity.mean) * (sample.ms.data[b * msPlane + i]! - stats.msMean[b]!);
    });
    g[b] = cov / Math.max(1, stats.valid.length - 1) / varI;
  }
  const panGain = intensity.std / (stats.panStd || Number.EPSILON);
  return (exp, panBlock) => {
    const pan = panBlock.data;
    const n = pan.length;
    const detail = new Float64Array(n).fill(offset);
    for (let b = 0; b < bands; b++) {
      const p = plane(exp, b);
      const a = alpha[b]!;
      for (let i = 0; i < n; i++) detail[i]! += a * p[i]!;
    }
    // detail = PAN_eq − I
    for (let i = 0; i < n; i++) detail[i] = (pan[i]! - stats.panMean) * panGain + intensity.mean - detail[i]!;
    for (let b = 0; b < bands; b++) {
      const p = plane(exp, b);
      const gb = g[b]!;
      for (let i = 0; i < n; i++) p[i]! += gb * detail[i]!;
    }
  };
}

export const gsaMethod: FusionMethod = expInjectionMethod(prepareGsa, {
  id: 'gsa',
  label: 'GSA',
  description: 'Adaptive Gram–Schmidt: regression-weighted intensity, band-wise injection gains (component substitution, toolbox GSA.m)',
  overlapPx: 48,
});
