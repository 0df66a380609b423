/**
 * @module main/engine/infer/ort-session
 * onnxruntime-node sessions, one per (model, device), created once and reused. Device choice: `cpu`; `cuda`
 * (fails clearly if CUDA cannot be used); `auto` (CUDA when its provider is installed and a session starts on it,
 * else CPU, saying why). ORT 1.29 does not fall back by itself when asked for ['cuda', 'cpu'] and CUDA libraries
 * are missing: it throws. So we try CUDA alone and fall back ourselves.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { ModelError } from '../errors.ts';
import type { DeviceRequest } from '../methods/method.ts';

export type InferenceSession = ort.InferenceSession;

export interface SessionChoice {
  readonly session: ort.InferenceSession;
  readonly device: 'cpu' | 'cuda';
  /** Why this device: shown to the user. */
  readonly reason: string;
}

/** Folder holding onnxruntime-node's libonnxruntime.so.1 (where `npm run setup:cuda` puts the CUDA provider). */
export function ortLibraryFolder(): string {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

export function cudaProviderInstalled(): boolean {
  return existsSync(join(ortLibraryFolder(), 'libonnxruntime_providers_cuda.so'));
}

function sessionOptions(provider: 'cpu' | 'cuda'): ort.InferenceSession.SessionOptions {
  return { executionProviders: [provider], graphOptimizationLevel: 'all' };
}

// ORT's failures reach us as exceptions, which we report with context; its own stderr log would only repeat them.
ort.env.logLevel = 'fatal';

const cache = new Map<string, Promise<SessionChoice>>();

async function create(modelBytes: Uint8Array, device: DeviceRequest, modelName: string): Promise<SessionChoice> {
  if (device === 'cpu') {
    return { session: await ort.InferenceSession.create(modelBytes, sessionOptions('cpu')), device: 'cpu', reason: 'CPU requested' };
  }
  if (!cudaProviderInstalled()) {
    if (device === 'cuda') {
      throw new ModelError('cuda-unavailable', `--device cuda: the CUDA execution provider is not installed beside onnxruntime-node (${ortLibraryFolder()}); run \`npm run setup:cuda\`, or use --device cpu`);
    }
    return {
      session: await ort.InferenceSession.create(modelBytes, sessionOptions('cpu')),
      device: 'cpu',
      reason: 'CUDA execution provider not installed (npm run setup:cuda); using CPU',
    };
  }
  try {
    return { session: await ort.InferenceSession.create(modelBytes, sessionOptions('cuda')), device: 'cuda', reason: 'CUDA execution provider loaded' };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (device === 'cuda') {
      throw new ModelError('cuda-unavailable', `--device cuda: cannot start ${modelName} on CUDA: ${why}. Check the CUDA 13 / cuDNN 9 libraries (README, "GPU"), or use --device cpu`);
    }
    return {
      session: await ort.InferenceSession.create(modelBytes, sessionOptions('cpu')),
      device: 'cpu',
      reason: `CUDA could not start (${why}); using CPU`,
    };
  }
}

/** A cached session for this model bytes' hash and device request. */
export function getSession(modelKey: string, modelBytes: () => Uint8Array, device: DeviceRequest, modelName: string): Promise<SessionChoice> {
  const key = `${modelKey}:${device}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = create(modelBytes(), device, modelName).catch((err: unknown) => {
      cache.delete(key);
      if (err instanceof ModelError) throw err;
      throw new ModelError('session-failed', `cannot load model ${modelName}: ${err instanceof Error ? err.message : String(err)}`);
    });
    cache.set(key, entry);
  }
  return entry;
}

export async function releaseSessions(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  for (const entry of entries) {
    try {
      await (await entry).session.release();
    } catch {
      // A session that failed to start has nothing to release.
    }
  }
}

export { ort };
