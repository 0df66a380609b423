/**
 * @module main/engine/methods/network-method
 * A deep network (one manifest = one network × band count) as a FusionMethod: DNs are scaled to the model's
 * range (DN / (2^bitDepth − 1)), run through onnxruntime, and scaled back.
 */
import { ModelError } from '../errors.ts';
import { readVerifiedModel, type ModelManifest } from '../infer/manifest.ts';
import { getSession, ort } from '../infer/ort-session.ts';
import type { BandBlock } from '../raster/band-block.ts';
import type { FuseInput, FusionMethod, PrepareOptions, PreparedMethod } from './method.ts';

export function networkMethod(manifest: ModelManifest): FusionMethod {
  const id = manifest.network.toLowerCase();
  return {
    id,
    label: manifest.network,
    kind: 'network',
    description: `${manifest.network} (${manifest.bands} bands, trained on ${manifest.sensors.join(', ')}): ${manifest.paper}`,
    supportedRatios: [manifest.ratio],
    bandCount: manifest.bands,
    overlapPx: manifest.overlapPx,
    tileMultiplePx: manifest.tileMultiplePx,
    model: {
      name: manifest.name,
      version: manifest.version,
      sha256: manifest.sha256,
      manifestPath: manifest.manifestPath,
      status: manifest.status,
      sensors: manifest.sensors,
      bandOrder: manifest.bandOrder,
    },
    async prepare(options: PrepareOptions): Promise<PreparedMethod> {
      const choice = await getSession(manifest.sha256, () => readVerifiedModel(manifest), options.device, manifest.name);
      options.log(`${manifest.name}: running on ${choice.device.toUpperCase()} (${choice.reason})`);
      const { session } = choice;
      for (const name of [manifest.inputNames.ms, manifest.inputNames.pan]) {
        if (!session.inputNames.includes(name)) {
          throw new ModelError('model-io', `model ${manifest.name} has inputs [${session.inputNames.join(', ')}], but its manifest names "${name}"`, {});
        }
      }
      if (!session.outputNames.includes(manifest.outputName)) {
        throw new ModelError('model-io', `model ${manifest.name} has outputs [${session.outputNames.join(', ')}], but its manifest names "${manifest.outputName}"`, {});
      }
      const scale = 1 / options.valueMax;
      return {
        device: choice.device,
        async fuse(input: FuseInput): Promise<BandBlock> {
          const { ms, pan } = input;
          const msScaled = new Float32Array(ms.data.length);
          for (let i = 0; i < msScaled.length; i++) msScaled[i] = ms.data[i]! * scale;
          const panScaled = new Float32Array(pan.data.length);
          for (let i = 0; i < panScaled.length; i++) panScaled[i] = pan.data[i]! * scale;
          const feeds: Record<string, ort.Tensor> = {
            [manifest.inputNames.ms]: new ort.Tensor('float32', msScaled, [1, ms.bands, ms.height, ms.width]),
            [manifest.inputNames.pan]: new ort.Tensor('float32', panScaled, [1, 1, pan.height, pan.width]),
          };
          const results = await session.run(feeds);
          const fused = results[manifest.outputName];
          if (!fused) throw new ModelError('model-io', `model ${manifest.name} returned no "${manifest.outputName}"`);
          const dims = fused.dims;
          if (dims.length !== 4 || dims[1] !== ms.bands || dims[2] !== pan.height || dims[3] !== pan.width) {
            throw new ModelError('model-io', `model ${manifest.name} returned shape [${dims.join(', ')}], expected [1, ${ms.bands}, ${pan.height}, ${pan.width}]`);
          }
          const data = fused.data as Float32Array;
          const out = new Float32Array(data.length);
          for (let i = 0; i < out.length; i++) out[i] = data[i]! * options.valueMax;
          fused.dispose();
          return { bands: ms.bands, width: pan.width, height: pan.height, data: out };
        },
        async dispose() {
          // Sessions are cached per (model, device) for the life of the engine process; nothing per job.
        },
      };
    },
  };
}
