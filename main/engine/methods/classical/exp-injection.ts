/**
 * @module main/engine/methods/classical/exp-injection
 * What Brovey, GSA and MTF-GLP share: each fuses a tile by up-sampling the MS with the 23-tap interpolator (EXP,
 * ratios 2 and 4, tiles a multiple of 4 PAN px) and injecting PAN detail into the float64 EXP bands in place, with
 * gains estimated once per scene from the sample.
 */
import { interp23tap } from '../../dsp/interp23tap.ts';
import type { BandBlock } from '../../raster/band-block.ts';
import type { FuseInput, FusionMethod, PrepareOptions } from '../method.ts';
import { globalStats, type GlobalStats } from './global-stats.ts';
import { toFloat32, toFloat64 } from './tile-float64.ts';

export interface ExpInjectionInfo {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** The interpolator's reach plus whatever the method's own filters need, PAN pixels. */
  readonly overlapPx: number;
}

/** Adds PAN detail to the tile's EXP bands (band-major, on the PAN grid) in place. */
export type InjectDetail = (exp: BandBlock<Float64Array>, pan: BandBlock) => void;

/** Estimates a method's gains once per scene, from the sample and its global statistics. */
export type PrepareInjection = (options: PrepareOptions, stats: GlobalStats) => InjectDetail;

/** The tile fusion `prepareInjection` defines for one scene (synchronous: a correction may run it inside a batch's
 * decode step). */
export function injectionFusion(prepareInjection: PrepareInjection, options: PrepareOptions): (input: FuseInput) => BandBlock {
  const inject = prepareInjection(options, globalStats(options.sample));
  return (input) => {
    const exp = interp23tap(toFloat64(input.ms), options.ratio);
    inject(exp, input.pan);
    return toFloat32(exp);
  };
}

/** A classical method from `prepareInjection` and its facts. */
export function expInjectionMethod(prepareInjection: PrepareInjection, info: ExpInjectionInfo): FusionMethod {
  return {
    id: info.id,
    label: info.label,
    kind: 'classical',
    description: info.description,
    supportedRatios: [2, 4],
    bandCount: null,
    overlapPx: info.overlapPx,
    tileMultiplePx: 4,
    async prepare(options) {
      const fuse = injectionFusion(prepareInjection, options);
      return {
        device: 'js',
        async fuse(input) {
          return fuse(input);
        },
        async dispose() {},
      };
    },
  };
}
