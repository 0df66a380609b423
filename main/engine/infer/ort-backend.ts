/**
 * @module main/engine/infer/ort-backend
 * An onnxruntime session as an InferenceBackend: one batched call per TileBatch. The session comes from the cache
 * (one per model and device); its input and output names are checked against the manifest once, at open.
 */
import { ModelError } from '../errors.ts';
import type { DeviceRequest } from './ort-session.ts';
import type { InferenceBackend, TileBatch, TileShape } from './batch-runner.ts';
import { readVerifiedModel, type ModelManifest } from './manifest.ts';
import { getSession, ort, type InferenceSession } from './ort-session.ts';

function checkModelIo(session: InferenceSession, manifest: ModelManifest): void {
  for (const name of [manifest.inputNames.ms, manifest.inputNames.pan]) {
    if (!session.inputNames.includes(name)) {
      throw new ModelError('model-io', `model ${manifest.name} has inputs [${session.inputNames.join(', ')}], but its manifest names "${name}"`, {});
    }
  }
  if (!session.outputNames.includes(manifest.outputName)) {
    throw new ModelError(
      'model-io',
      `model ${manifest.name} has outputs [${session.outputNames.join(', ')}], but its manifest names "${manifest.outputName}"`,
      {},
    );
  }
}

export function ortBackend(session: InferenceSession, manifest: ModelManifest, device: 'cpu' | 'cuda', reason: string): InferenceBackend {
  checkModelIo(session, manifest);
  return {
    device,
    reason,
    async run(batch: TileBatch, shape: TileShape): Promise<Float32Array> {
      const feeds: Record<string, ort.Tensor> = {
        [manifest.inputNames.ms]: new ort.Tensor('float32', batch.ms, [batch.n, shape.msBands, shape.msHeight, shape.msWidth]),
        [manifest.inputNames.pan]: new ort.Tensor('float32', batch.pan, [batch.n, 1, shape.panHeight, shape.panWidth]),
      };
      const results = await session.run(feeds);
      const fused = results[manifest.outputName];
      if (!fused) throw new ModelError('model-io', `model ${manifest.name} returned no "${manifest.outputName}"`);
      const expected = [batch.n, shape.outBands, shape.panHeight, shape.panWidth];
      if (fused.dims.length !== 4 || fused.dims.some((d, i) => d !== expected[i])) {
        throw new ModelError('model-io', `model ${manifest.name} returned shape [${fused.dims.join(', ')}], expected [${expected.join(', ')}]`);
      }
      // CPU outputs live in a JS buffer that stays valid after the tensor is dropped.
      return fused.data as Float32Array;
    },
  };
}

/** The cached session for this model on `device` (auto: CUDA if it can, else CPU with the reason). */
export async function openOrtBackend(manifest: ModelManifest, device: DeviceRequest): Promise<InferenceBackend> {
  const choice = await getSession(manifest.sha256, () => readVerifiedModel(manifest), device, manifest.name);
  return ortBackend(choice.session, manifest, choice.device, choice.reason);
}
