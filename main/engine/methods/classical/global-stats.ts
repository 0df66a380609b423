/**
 * @module main/engine/methods/classical/global-stats
 * Scene-wide statistics the component-substitution and MRA baselines need (the toolbox computes them over the
 * whole image), estimated from the bounded scene sample so memory does not grow with the scene: per-band MS
 * means and deviations, PAN mean and deviation (from nearest samples: the full-resolution distribution), and the
 * PAN-at-MS-resolution the adaptive Gram–Schmidt regression needs. Pixels with NaN (nodata) anywhere are skipped.
 */
import { solveAugmented } from '../../numeric/linear-system.ts';
import type { SceneSample } from '../scene-sample.ts';

export interface GlobalStats {
  readonly msMean: Float64Array;
  readonly msStd: Float64Array;
  readonly panMean: number;
  readonly panStd: number;
  /** Indices of sample pixels valid in every band and in PAN. */
  readonly valid: Int32Array;
}

function meanStd(values: ArrayLike<number>, index: Int32Array): [number, number] {
  let sum = 0;
  for (const i of index) sum += values[i]!;
  const mean = sum / index.length;
  let ss = 0;
  for (const i of index) ss += (values[i]! - mean) ** 2;
  // MATLAB's std2 uses N−1.
  return [mean, Math.sqrt(ss / Math.max(1, index.length - 1))];
}

export function globalStats(sample: SceneSample): GlobalStats {
  const { ms, panLow, panPoints } = sample;
  const plane = ms.width * ms.height;
  const validList: number[] = [];
  for (let i = 0; i < plane; i++) {
    let ok = !Number.isNaN(panLow.data[i]!) && !Number.isNaN(panPoints.data[i]!);
    for (let b = 0; b < ms.bands && ok; b++) ok = !Number.isNaN(ms.data[b * plane + i]!);
    if (ok) validList.push(i);
  }
  const valid = Int32Array.from(validList);
  const msMean = new Float64Array(ms.bands);
  const msStd = new Float64Array(ms.bands);
  for (let b = 0; b < ms.bands; b++) [msMean[b], msStd[b]] = meanStd(ms.data.subarray(b * plane, (b + 1) * plane), valid);
  const [panMean, panStd] = meanStd(panPoints.data, valid);
  return { msMean, msStd, panMean, panStd, valid };
}

/** Mean and deviation (N−1) of a per-pixel combination of the MS sample bands. */
export function combinationStats(
  sample: SceneSample,
  stats: GlobalStats,
  weights: ArrayLike<number>,
  offset: number,
): { mean: number; std: number; values: Float64Array } {
  const { ms } = sample;
  const plane = ms.width * ms.height;
  const values = new Float64Array(stats.valid.length);
  stats.valid.forEach((i, k) => {
    let v = offset;
    for (let b = 0; b < ms.bands; b++) v += weights[b]! * ms.data[b * plane + i]!;
    values[k] = v;
  });
  const all = Int32Array.from(values.keys());
  const [mean, std] = meanStd(values, all);
  return { mean, std, values };
}

/** Least squares x minimising |A x − y|² via the normal equations (small systems: bands + 1 unknowns). */
export function leastSquares(columns: readonly Float64Array[], y: Float64Array): Float64Array {
  const n = columns.length;
  const m = new Float64Array(n * (n + 1));
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < y.length; k++) s += columns[r]![k]! * columns[c]![k]!;
      m[r * (n + 1) + c] = s;
    }
    let s = 0;
    for (let k = 0; k < y.length; k++) s += columns[r]![k]! * y[k]!;
    m[r * (n + 1) + n] = s;
  }
  // A singular weight (e.g. a constant band) stays 0.
  return solveAugmented(m, n, new Float64Array(n));
}
