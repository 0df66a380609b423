/**
 * @module main/engine/methods/classical/brovey
 * Brovey transform (the toolbox's Brovey.m): MS up-sampled with the 23-tap interpolator (EXP), intensity I = mean
 * of the EXP bands, PAN equalised to I's mean and deviation, then every band multiplied by PAN_eq / I.
 * Global means and deviations come from the scene sample.
 */
import type { FusionMethod, PrepareOptions } from '../method.ts';
import { expInjectionMethod, type InjectDetail } from './exp-injection.ts';
import { combinationStats, type GlobalStats } from './global-stats.ts';
import { plane } from './tile-float64.ts';

function prepareBrovey(options: PrepareOptions, stats: GlobalStats): InjectDetail {
  const bands = options.sample.ms.bands;
  const intensity = combinationStats(options.sample, stats, new Float64Array(bands).fill(1 / bands), 0);
  const gain = intensity.std / (stats.panStd || Number.EPSILON);
  return (exp, panBlock) => {
    const pan = panBlock.data;
    const n = pan.length;
    const sumI = new Float64Array(n);
    for (let b = 0; b < exp.bands; b++) {
      const p = plane(exp, b);
      for (let i = 0; i < n; i++) sumI[i]! += p[i]!;
    }
    const ratio = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const panEq = (pan[i]! - stats.panMean) * gain + intensity.mean;
      ratio[i] = panEq / (sumI[i]! / exp.bands + Number.EPSILON);
    }
    for (let b = 0; b < exp.bands; b++) {
      const p = plane(exp, b);
      for (let i = 0; i < n; i++) p[i]! *= ratio[i]!;
    }
  };
}

export const broveyMethod: FusionMethod = expInjectionMethod(prepareBrovey, {
  id: 'brovey',
  label: 'Brovey',
  description: 'Brovey transform: bands scaled by equalised PAN / intensity (component substitution, toolbox Brovey.m)',
  // interp23tap's circular borders reach 33 PAN px into a tile at ratio 4.
  overlapPx: 48,
});
