/**
 * @module main/engine/infer/worker-backend
 * InferenceBackends whose onnxruntime sessions live in one worker thread per process (inference-worker.ts), so
 * the main thread keeps reading, pre-processing, post-processing and writing tiles while the model runs. Inputs
 * are copied to the worker (a retry after a CUDA failure needs them intact); outputs come back transferred. The
 * worker keeps the process alive only while a request is pending. If the worker dies, pending and later calls
 * fail with a clear error and the next open starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import type { DeviceRequest } from './ort-session.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import type { InferenceBackend, TileBatch, TileShape } from './batch-runner.ts';
import type { InferenceRequests, InferenceResults } from './inference-worker.ts';
import type { ModelManifest } from './manifest.ts';

// From source (tsx) the worker must register tsx's loader itself; the Electron build bundles the worker beside the
// engine bundle as inference-worker.js (scripts/build-electron.ts).
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./inference-worker-entry.mjs', import.meta.url)
  : new URL('./inference-worker.js', import.meta.url);

class InferenceWorker {
  private readonly worker = new Worker(WORKER_ENTRY);
  private readonly rpc = new RpcClient(
    { post: (message, transfer) => this.worker.postMessage(message, [...transfer]) },
    // Keeps the process alive only while a request is pending.
    { where: 'inference worker', onBusy: (busy) => (busy ? this.worker.ref() : this.worker.unref()) },
  );
  dead: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (message: unknown) => this.rpc.receive(message));
    const fail = (why: string) => {
      // The first cause stays (an error, then its exit; or a stop, then its exit).
      this.dead ??= new Error(`the inference worker thread stopped (${why}); the model's tiles could not be computed`);
      this.rpc.fail(this.dead);
    };
    this.worker.on('error', (err) => fail(err.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  /** Ends the thread and with it every session it holds (and their memory arenas). */
  async stop(): Promise<void> {
    this.dead ??= new Error('the inference worker thread was stopped');
    await this.worker.terminate();
  }

  async request<K extends keyof InferenceRequests>(method: K, payload: InferenceRequests[K]): Promise<InferenceResults[K]> {
    if (this.dead) throw this.dead;
    // The worker is our own code in this process; its values are what its methods return.
    return (await this.rpc.call(method, payload)) as InferenceResults[K];
  }
}

let shared: InferenceWorker | null = null;

function worker(): InferenceWorker {
  if (!shared || shared.dead) shared = new InferenceWorker();
  return shared;
}

/**
 * Stops the shared worker: every cached session is released; the next open starts a fresh worker. For a process
 * that goes through many models (scripts/loso-quality.ts: 18), where each session's arena keeps its peak tile
 * memory for the worker's life.
 */
export async function stopInferenceWorker(): Promise<void> {
  const w = shared;
  shared = null;
  await w?.stop();
}

/** A copy that owns its whole buffer (a view into a larger batch would otherwise clone all of it). */
function own(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

/** The model's session on `device` in the inference worker (auto: CUDA if it can, else CPU with the reason). */
export async function openWorkerBackend(manifest: ModelManifest, device: DeviceRequest): Promise<InferenceBackend> {
  const w = worker();
  const opened = await w.request('open', { manifestPath: manifest.manifestPath, device });
  const key = opened.backend;
  return {
    device: opened.device,
    reason: opened.reason,
    async run(batch: TileBatch, shape: TileShape): Promise<Float32Array> {
      return w.request('run', { backend: key, batch: { n: batch.n, ms: own(batch.ms), pan: own(batch.pan) }, shape });
    },
  };
}
