/**
 * @module main/engine/dsp/mtf-degrade
 * Wald's-protocol degradation as the toolbox does it (`resize_images.m`): MTF low-pass, then
 * `imresize(·, 1/ratio, 'nearest')`, which keeps 0-based samples ratio/2, ratio/2 + ratio, … in both directions —
 * the phase `interp23tap` assumes when it interpolates back.
 */
import { InputError } from '../errors.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { correlateReplicate, markNonFinite, type SampleGrid } from './mtf-filter.ts';
import { mtfKernels } from './mtf-kernel.ts';
import type { MtfSource } from './sensor-mtf.ts';

/**
 * MTF-filters `block` and decimates it by `ratio` (its sides must be multiples of `ratio`, so that every kept sample
 * is inside the image; InputError otherwise). Only the kept samples are filtered.
 */
export function mtfDegrade(block: BandBlock<Float64Array>, source: MtfSource, ratio = 4): BandBlock<Float64Array> {
  const { bands, width, height } = block;
  if (width % ratio !== 0 || height % ratio !== 0) {
    throw new InputError('size-not-multiple', `image is ${width}×${height} px; mtf_degrade needs sides that are multiples of the ratio ${ratio}`, {
      width,
      height,
      ratio,
    });
  }
  const kernels = mtfKernels(source, bands, ratio);
  const outWidth = width / ratio;
  const outHeight = height / ratio;
  const phase = Math.floor(ratio / 2);
  const grid: SampleGrid = { row0: phase, col0: phase, step: ratio, outWidth, outHeight };
  const data = new Float64Array(bands * outWidth * outHeight);
  const size = width * height;
  const outSize = outWidth * outHeight;
  let padded: Float64Array | undefined;
  for (let b = 0; b < bands; b++) {
    const k = kernels[b]!;
    const need = (height + k.size - 1) * (width + k.size - 1);
    if (!padded || padded.length < need) padded = new Float64Array(need);
    const src = block.data.subarray(b * size, (b + 1) * size);
    const dst = data.subarray(b * outSize, (b + 1) * outSize);
    correlateReplicate(src, width, height, k, grid, dst, padded);
    markNonFinite(src, width, height, (k.size - 1) / 2, grid, dst);
  }
  return { bands, width: outWidth, height: outHeight, data };
}
