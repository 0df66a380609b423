/**
 * @module main/engine/infer/inference-worker
 * The worker-thread side of worker-backend.ts. onnxruntime-node's `run` holds the calling thread until the model
 * is done, so in the main thread it would stall reading, encoding, decoding and writing; here it blocks only this
 * thread. Sessions stay cached per (model, device) for the worker's life. Requests: `open` (a manifest and a
 * device request → device and reason) and `run` (a batch → the fused batch, its buffer transferred back).
 */
import { parentPort } from 'node:worker_threads';
import type { DeviceRequest } from './ort-session.ts';
import { serveRpc } from '../rpc/rpc-server.ts';
import type { InferenceBackend, TileBatch, TileShape } from './batch-runner.ts';
import { loadManifest } from './manifest.ts';
import { openOrtBackend } from './ort-backend.ts';

/** Request payloads, by method. */
export interface InferenceRequests {
  readonly open: { readonly manifestPath: string; readonly device: DeviceRequest };
  readonly run: { readonly backend: string; readonly batch: TileBatch; readonly shape: TileShape };
}
/** Result values, by method. */
export interface InferenceResults {
  readonly open: { readonly backend: string; readonly device: 'cpu' | 'cuda'; readonly reason: string };
  readonly run: Float32Array;
}

const port = parentPort;
if (!port) throw new Error('inference-worker: not started as a worker thread; use openWorkerBackend()');
const backends = new Map<string, InferenceBackend>();

async function open(request: InferenceRequests['open']): Promise<InferenceResults['open']> {
  const manifest = loadManifest(request.manifestPath);
  const backend = await openOrtBackend(manifest, request.device);
  const key = `${manifest.sha256}:${backend.device}`;
  backends.set(key, backend);
  return { backend: key, device: backend.device, reason: backend.reason };
}

async function run(request: InferenceRequests['run']): Promise<InferenceResults['run']> {
  const backend = backends.get(request.backend);
  if (!backend) throw new Error(`inference worker: no open backend ${request.backend}`);
  return backend.run(request.batch, request.shape);
}

serveRpc(
  { post: (message, transfer) => port.postMessage(message, [...transfer]), onMessage: (listener) => port.on('message', listener) },
  {
    where: 'inference worker',
    // worker-backend.ts (our own code, same process) sends each method its payload.
    handle: async (method, payload) => {
      if (method === 'open') return open(payload as InferenceRequests['open']);
      if (method === 'run') return run(payload as InferenceRequests['run']);
      throw new Error(`inference worker: unknown method ${method}`);
    },
    transferOf: (value) => (value instanceof Float32Array && value.buffer instanceof ArrayBuffer ? [value.buffer] : []),
  },
);
