/**
 * @module main/engine/infer/inference-worker
 * The worker-thread side of worker-backend.ts. onnxruntime-node's `run` holds the calling thread until the model
 * is done, so in the main thread it would stall reading, encoding, decoding and writing; here it blocks only this
 * thread. Sessions stay cached per (model, device) for the worker's life. Requests: `open` (a manifest and a
 * device request → device and reason) and `run` (a batch → the fused batch, its buffer transferred back).
 */
import { parentPort } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import type { DeviceRequest } from '../methods/method.ts';
import type { InferenceBackend, TileBatch, TileShape } from './batch-runner.ts';
import { loadManifest } from './manifest.ts';
import { openOrtBackend } from './ort-backend.ts';

export type ToInferenceWorker =
  | { kind: 'open'; id: number; manifestPath: string; device: DeviceRequest }
  | { kind: 'run'; id: number; backend: string; batch: TileBatch; shape: TileShape };

export type FromInferenceWorker =
  | { id: number; ok: true; backend: string; device: 'cpu' | 'cuda'; reason: string }
  | { id: number; ok: true; out: Float32Array }
  | { id: number; ok: false; error: { name: string; code: string; message: string; details: Record<string, unknown> } };

const port = parentPort;
if (!port) throw new Error('inference-worker: not started as a worker thread; use openWorkerBackend()');
const backends = new Map<string, InferenceBackend>();

port.on('message', async (message: ToInferenceWorker) => {
  try {
    if (message.kind === 'open') {
      const manifest = loadManifest(message.manifestPath);
      const backend = await openOrtBackend(manifest, message.device);
      const key = `${manifest.sha256}:${backend.device}`;
      backends.set(key, backend);
      port.postMessage({ id: message.id, ok: true, backend: key, device: backend.device, reason: backend.reason } satisfies FromInferenceWorker);
    } else {
      const backend = backends.get(message.backend);
      if (!backend) throw new Error(`inference worker: no open backend ${message.backend}`);
      const out = await backend.run(message.batch, message.shape);
      port.postMessage({ id: message.id, ok: true, out } satisfies FromInferenceWorker, out.buffer instanceof ArrayBuffer ? [out.buffer] : []);
    }
  } catch (err) {
    port.postMessage({ id: message.id, ok: false, error: { name: err instanceof Error ? err.name : 'Error', ...describeError(err) } } satisfies FromInferenceWorker);
  }
});
