/**
 * @module main/engine/methods/classical/exp
 * EXP: the MS up-sampled to the PAN grid (bicubic), PAN unused. The reference every method must beat.
 */
import type { FusionMethod, PreparedMethod } from '../method.ts';
import { upsampleBicubic } from './bicubic.ts';

export const expMethod: FusionMethod = {
  id: 'exp',
  label: 'EXP (bicubic)',
  kind: 'classical',
  description: 'MS up-sampled to the PAN grid with bicubic interpolation; no PAN detail (the baseline to beat)',
  supportedRatios: [2, 3, 4, 5, 6, 7, 8],
  bandCount: null,
  overlapPx: 8,
  tileMultiplePx: 1,
  async prepare(options): Promise<PreparedMethod> {
    return {
      device: 'js',
      async fuse(input) {
        return upsampleBicubic(input.ms, options.ratio);
      },
      async dispose() {},
    };
  },
};
