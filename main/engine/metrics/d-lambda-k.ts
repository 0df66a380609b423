/**
 * @module main/engine/metrics/d-lambda-k
 * Khan's spectral distortion D_λ,K as the toolbox computes it for HQNR (`D_lambda_K.m`):
 * `1 − Q2n(E, MTF(F, sensor, ratio), 32, 32)` — the upsampled MS is Q2n's *reference* and the MTF-filtered fused
 * image its candidate (the order matters: Q2n normalises with the reference's statistics), uint16 cast included.
 */
import type { BandBlock } from '../raster/band-block.ts';
import { mtfFilter } from '../dsp/mtf-filter.ts';
import type { MtfSource } from '../dsp/sensor-mtf.ts';
import { q2n } from './q2n.ts';
import { assertSameShape } from './shape-check.ts';

export interface DLambdaKOptions {
  readonly fused: BandBlock<Float64Array>;
  /** interp23tap(ms_lr), same shape as `fused`. */
  readonly msExp: BandBlock<Float64Array>;
  /** Sensor name/alias or explicit per-band Nyquist gains (generic 0.3 for unknown names). */
  readonly sensor: MtfSource;
  readonly ratio?: number;
  readonly blockSize?: number;
}

export function dLambdaK(options: DLambdaKOptions): number {
  const { fused, msExp } = options;
  assertSameShape(fused, msExp, ['fused', 'upsampled MS'], 'D_lambda_K');
  const filtered = mtfFilter(fused, options.sensor, options.ratio ?? 4);
  const blockSize = options.blockSize ?? 32;
  return 1 - q2n(msExp, filtered, { blockSize, shift: blockSize });
}
