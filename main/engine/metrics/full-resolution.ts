/**
 * @module main/engine/metrics/full-resolution
 * All full-resolution (no reference) indices of one fused image, as the toolbox's `indexes_evaluation_FS` reports
 * them with `I_MS = interp23tap(I_MS_LR, ratio)`: D_λ, D_s and QNR (flagQNR = 1), D_λ,K and HQNR (flagQNR = 0).
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { interp23tap } from '../dsp/interp23tap.ts';
import type { MtfSource } from '../dsp/sensor-mtf.ts';
import { dLambda } from './d-lambda.ts';
import { dLambdaK } from './d-lambda-k.ts';
import { dS, lowPassPan } from './d-s.ts';
import { hqnr, qnr } from './qnr.ts';
import { assertBandCount, assertSameGrid } from './shape-check.ts';

export interface FullResolutionOptions {
  /** The fused image, bands × PAN grid. */
  readonly fused: BandBlock<Float64Array>;
  /** The original MS, on its own grid (PAN size / ratio). */
  readonly msLr: BandBlock<Float64Array>;
  /** The PAN, one band. */
  readonly pan: BandBlock<Float64Array>;
  /** For D_λ,K's MTF filter: sensor name/alias or per-band gains. */
  readonly sensor: MtfSource;
  readonly ratio?: number;
}

export interface FullResolutionIndices {
  readonly D_lambda: number;
  readonly D_s: number;
  readonly QNR: number;
  readonly D_lambda_K: number;
  readonly HQNR: number;
}

export function fullResolutionIndices(options: FullResolutionOptions): FullResolutionIndices {
  const { fused, msLr, pan, sensor } = options;
  const ratio = options.ratio ?? 4;
  assertBandCount(pan, 1, 'PAN', 'full-resolution indices');
  assertSameGrid(fused, pan, ['fused', 'PAN'], 'full-resolution indices');
  if (msLr.bands !== fused.bands || msLr.width * ratio !== fused.width || msLr.height * ratio !== fused.height) {
    throw new InputError(
      'shape-mismatch',
      `full-resolution indices: MS is ${msLr.bands}×${msLr.height}×${msLr.width} and fused is ${fused.bands}×${fused.height}×${fused.width} (bands×rows×cols); expected the fused image to be the MS × ${ratio} with the same bands`,
      { ms: [msLr.bands, msLr.height, msLr.width], fused: [fused.bands, fused.height, fused.width], ratio },
    );
  }
  const msExp = interp23tap(msLr, ratio);
  const panLp = lowPassPan(pan, ratio);
  const dl = dLambda({ fused, msExp });
  const ds = dS({ fused, msExp, pan, panLp, ratio });
  const dlk = dLambdaK({ fused, msExp, sensor, ratio });
  return { D_lambda: dl, D_s: ds, QNR: qnr(dl, ds), D_lambda_K: dlk, HQNR: hqnr(dlk, ds) };
}
