/**
 * @module main/engine/adapt/adapted-method
 * A fusion method with a scene correction laid over its output: the same tiles, batches and devices, and each
 * decoded block corrected with the tile's bicubic up-sampled MS (and PAN detail, when the correction uses it). The coefficients are global, so tiles agree
 * wherever they overlap (seam-free); the overlap grows to what the up-sampling needs if the method's is smaller.
 */
import { upsampleBicubic } from '../methods/classical/bicubic.ts';
import { expMethod } from '../methods/classical/exp.ts';
import type { BatchFusion, FuseInput, FusionMethod, PreparedMethod } from '../methods/method.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { applyCorrection, panDetail, type SceneCorrection } from './scene-correction.ts';

export function adaptedMethod(base: FusionMethod, correction: SceneCorrection): FusionMethod {
  return {
    ...base,
    overlapPx: Math.max(base.overlapPx, expMethod.overlapPx),
    async prepare(options): Promise<PreparedMethod> {
      const prepared = await base.prepare(options);
      const usesPan = correction.coefficients.some((row) => row[correction.bands + 1] !== 0);
      const correct = (block: BandBlock, input: FuseInput) =>
        applyCorrection(correction, block, upsampleBicubic(input.ms, options.ratio), usesPan ? panDetail(input.pan, options.ratio) : null);
      const inner = prepared.batch;
      const batch: BatchFusion | undefined = inner && {
        get batchSize() {
          return inner.batchSize;
        },
        encode: (inputs) => inner.encode(inputs),
        infer: (encoded) => inner.infer(encoded),
        decode: (result, inputs) => inner.decode(result, inputs).map((block, i) => correct(block, inputs[i]!)),
      };
      return {
        get device() {
          return prepared.device;
        },
        deviceReason: prepared.deviceReason,
        deviceEvents: prepared.deviceEvents,
        metadata: prepared.metadata,
        batch,
        async fuse(input, signal) {
          return correct(await prepared.fuse(input, signal), input);
        },
        dispose: () => prepared.dispose(),
      };
    },
  };
}
