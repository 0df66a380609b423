/**
 * @module main/engine/infer/worker-backend
 * InferenceBackends whose onnxruntime sessions live in one worker thread per process (inference-worker.ts), so
 * the main thread keeps reading, pre-processing, post-processing and writing tiles while the model runs. Inputs
 * are copied to the worker (a retry after a CUDA failure needs them intact); outputs come back transferred. The
 * worker keeps the process alive only while a request is pending. If the worker dies, pending and later calls
 * fail with a clear error and the next open starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError, ModelError, OutputError, PanForgeError } from '../errors.ts';
import type { DeviceRequest } from '../methods/method.ts';
import type { InferenceBackend, TileBatch, TileShape } from './batch-runner.ts';
import type { FromInferenceWorker, ToInferenceWorker } from './inference-worker.ts';
import type { ModelManifest } from './manifest.ts';

type Reply = FromInferenceWorker;

// From source (tsx) the worker must register tsx's loader itself; the Electron build bundles the worker beside the
// engine bundle as inference-worker.js (scripts/build-electron.ts).
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? new URL('./inference-worker-entry.mjs', import.meta.url) : new URL('./inference-worker.js', import.meta.url);

function rebuild(e: { name: string; code: string; message: string; details: Record<string, unknown> }): Error {
  switch (e.name) {
    case 'ModelError': return new ModelError(e.code, e.message, e.details);
    case 'InputError': return new InputError(e.code, e.message, e.details);
    case 'OutputError': return new OutputError(e.code, e.message, e.details);
    case 'CancelledError': return new CancelledError(e.message);
    default: return e.code === 'internal' ? new Error(e.message) : new PanForgeError(e.code, e.message, e.details);
  }
}

class InferenceWorker {
  private readonly worker = new Worker(WORKER_ENTRY);
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;
  dead: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      resolve?.(reply);
    });
    const fail = (why: string) => {
      this.dead = new Error(`the inference worker thread stopped (${why}); the model's tiles could not be computed`);
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: { name: 'Error', code: 'internal', message: this.dead.message, details: {} } });
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(err.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  request(message: ToInferenceWorker): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  id(): number {
    return this.nextId++;
  }
}

let shared: InferenceWorker | null = null;

function worker(): InferenceWorker {
  if (!shared || shared.dead) shared = new InferenceWorker();
  return shared;
}

/** A copy that owns its whole buffer (a view into a larger batch would otherwise clone all of it). */
function own(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

/** The model's session on `device` in the inference worker (auto: CUDA if it can, else CPU with the reason). */
export async function openWorkerBackend(manifest: ModelManifest, device: DeviceRequest): Promise<InferenceBackend> {
  const w = worker();
  const opened = await w.request({ kind: 'open', id: w.id(), manifestPath: manifest.manifestPath, device });
  if (!opened.ok) throw rebuild(opened.error);
  if (!('backend' in opened)) throw new Error('inference worker: unexpected reply to open');
  const key = opened.backend;
  return {
    device: opened.device,
    reason: opened.reason,
    async run(batch: TileBatch, shape: TileShape): Promise<Float32Array> {
      const reply = await w.request({ kind: 'run', id: w.id(), backend: key, batch: { n: batch.n, ms: own(batch.ms), pan: own(batch.pan) }, shape });
      if (!reply.ok) throw rebuild(reply.error);
      if (!('out' in reply)) throw new Error('inference worker: unexpected reply to run');
      return reply.out;
    },
  };
}
