/**
 * @module main/engine/methods/classical/mtf-glp
 * MTF-GLP with high-pass modulation (the toolbox's MTF_GLP_HPM.m): PAN equalised to each band, its low-pass
 * version made by the sensor's MTF filter, decimation and the 23-tap interpolator, and each EXP band multiplied
 * by PAN_eq / PAN_lp. The MTF gains follow the scene's sensor (generic 0.3 when unknown).
 */
import { interp23tap } from '../../dsp/interp23tap.ts';
import { mtfDegrade } from '../../dsp/mtf-degrade.ts';
import type { FuseInput, FusionMethod, PrepareOptions } from '../method.ts';
import type { BandBlock } from '../../raster/band-block.ts';
import { expInjectionMethod, injectionFusion, type InjectDetail } from './exp-injection.ts';
import type { GlobalStats } from './global-stats.ts';
import { plane } from './tile-float64.ts';

function prepareMtfGlp(options: PrepareOptions, stats: GlobalStats): InjectDetail {
  const bands = options.sample.ms.bands;
  const sensor = options.sensor ?? 'generic';
  const gains = Float64Array.from(stats.msStd, (s) => s / (stats.panStd || Number.EPSILON));
  return (exp, pan) => {
    const { width, height } = pan;
    const n = width * height;
    const panEq = new Float64Array(bands * n);
    for (let b = 0; b < bands; b++) {
      const dst = panEq.subarray(b * n, (b + 1) * n);
      for (let i = 0; i < n; i++) dst[i] = (pan.data[i]! - stats.panMean) * gains[b]! + stats.msMean[b]!;
    }
    const panEqBlock = { bands, width, height, data: panEq };
    const panLow = interp23tap(mtfDegrade(panEqBlock, sensor, options.ratio), options.ratio);
    for (let b = 0; b < bands; b++) {
      const e = plane(exp, b);
      const hi = plane(panEqBlock, b);
      const lo = plane(panLow, b);
      for (let i = 0; i < n; i++) e[i] = e[i]! * (hi[i]! / (lo[i]! + Number.EPSILON));
    }
  };
}

export const mtfGlpMethod: FusionMethod = expInjectionMethod(prepareMtfGlp, {
  id: 'mtf-glp',
  label: 'MTF-GLP-HPM',
  description: 'MTF-matched generalized Laplacian pyramid with high-pass modulation (multiresolution analysis, toolbox MTF_GLP_HPM.m)',
  // 41-tap MTF filter (20 px) plus the interpolator's circular reach (33 px) at ratio 4.
  overlapPx: 64,
});

/** MTF-GLP's tile fusion for one scene, synchronous (what the scene correction's -glp shapes add to a network's tile). */
export function mtfGlpFusion(options: PrepareOptions): (input: FuseInput) => BandBlock {
  return injectionFusion(prepareMtfGlp, options);
}
