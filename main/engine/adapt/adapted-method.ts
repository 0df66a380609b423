/**
 * @module main/engine/adapt/adapted-method
 * A fusion method with a scene correction laid over its output: the same tiles, batches and devices, and each
 * decoded block corrected with the tile's bicubic up-sampled MS (and PAN detail, and MTF-GLP's output of the same
 * tile, when the correction uses them). The coefficients are global, so tiles agree wherever they overlap
 * (seam-free); the overlap grows to what the up-sampling and MTF-GLP need if the method's is smaller.
 */
import { upsampleBicubic } from '../methods/classical/bicubic.ts';
import { expMethod } from '../methods/classical/exp.ts';
import { mtfGlpFusion, mtfGlpMethod } from '../methods/classical/mtf-glp.ts';
import type { BatchFusion, FuseInput, FusionMethod, PreparedMethod } from '../methods/method.ts';
import { leastCommonMultiple } from '../numeric/least-common-multiple.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { applyCorrection, correctionInputs, panDetail, type SceneCorrection } from './scene-correction.ts';

export function adaptedMethod(base: FusionMethod, correction: SceneCorrection): FusionMethod {
  const needs = correctionInputs(correction);
  return {
    ...base,
    overlapPx: Math.max(base.overlapPx, expMethod.overlapPx, needs.glp ? mtfGlpMethod.overlapPx : 0),
    tileMultiplePx: needs.glp ? leastCommonMultiple(base.tileMultiplePx, mtfGlpMethod.tileMultiplePx) : base.tileMultiplePx,
    async prepare(options): Promise<PreparedMethod> {
      // MTF-GLP's gains come from the same scene sample the method is prepared on, so every tile gets the same ones.
      const glp = needs.glp ? mtfGlpFusion(options) : null;
      const prepared = await base.prepare(options);
      const correct = (block: BandBlock, input: FuseInput) =>
        applyCorrection(
          correction,
          block,
          upsampleBicubic(input.ms, options.ratio),
          needs.panDetail ? panDetail(input.pan, options.ratio) : null,
          glp ? glp(input) : null,
        );
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
