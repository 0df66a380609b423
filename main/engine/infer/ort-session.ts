/**
 * @module main/engine/infer/ort-session
 * onnxruntime-node sessions, one per (model, device), created once and reused. Device choice: `cpu`; `cuda`
 * (fails clearly if CUDA cannot be used); `auto` (CUDA when its provider is installed, a GPU is visible and a
 * session starts on it, else CPU, saying why). ORT 1.29 does not fall back by itself when asked for ['cuda', 'cpu']
 * and CUDA libraries are missing: it throws. So we try CUDA alone and fall back ourselves.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { ModelError } from '../errors.ts';

export type InferenceSession = ort.InferenceSession;

/** What a caller asks for; `SessionChoice.device` says what it got. */
export type DeviceRequest = 'auto' | 'cpu' | 'cuda';

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

export interface GpuProbe {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Entries of a folder, [] when it is missing. */
  readonly list: (folder: string) => readonly string[];
}

const systemProbe: GpuProbe = {
  env: process.env,
  list: (folder) => {
    try {
      return readdirSync(folder);
    } catch {
      return [];
    }
  },
};

/** Whether `--device cuda` can work here: the provider installed and a GPU visible (else why not). */
export function cudaAvailability(): { available: boolean; why: string } {
  if (!cudaProviderInstalled()) return { available: false, why: 'the CUDA execution provider is not installed (npm run setup:cuda)' };
  const gpu = gpuVisibility();
  return { available: gpu.visible, why: gpu.why };
}

/** Whether an NVIDIA GPU is visible to this process, and why not (checked before trying CUDA: a clear reason, fast). */
export function gpuVisibility(probe: GpuProbe = systemProbe): { visible: boolean; why: string } {
  const mask = probe.env.CUDA_VISIBLE_DEVICES;
  if (mask !== undefined && (mask.trim() === '' || mask.trim() === '-1')) {
    return { visible: false, why: `CUDA_VISIBLE_DEVICES="${mask}" hides every GPU` };
  }
  const devices = probe.list('/dev').filter((f) => /^nvidia\d+$/.test(f) || f === 'dxg');
  if (devices.length > 0)
    return {
      visible: true,
      why: `GPU device ${devices
        .sort()
        .map((d) => `/dev/${d}`)
        .join(', ')}`,
    };
  const gpus = probe.list('/proc/driver/nvidia/gpus');
  if (gpus.length > 0) return { visible: true, why: `${gpus.length} GPU(s) in /proc/driver/nvidia/gpus` };
  return { visible: false, why: 'no NVIDIA GPU visible (no /dev/nvidiaN device, no /proc/driver/nvidia/gpus)' };
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
      throw new ModelError(
        'cuda-unavailable',
        `CUDA was requested, but the CUDA execution provider is not installed beside onnxruntime-node (${ortLibraryFolder()}); run \`npm run setup:cuda\`, or choose the CPU or auto device (CLI: --device cpu)`,
      );
    }
    return {
      session: await ort.InferenceSession.create(modelBytes, sessionOptions('cpu')),
      device: 'cpu',
      reason: 'CUDA execution provider not installed (npm run setup:cuda); using CPU',
    };
  }
  const gpu = gpuVisibility();
  if (!gpu.visible) {
    if (device === 'cuda')
      throw new ModelError('cuda-unavailable', `CUDA was requested, but ${gpu.why}; choose the CPU or auto device (CLI: --device cpu or auto)`);
    return { session: await ort.InferenceSession.create(modelBytes, sessionOptions('cpu')), device: 'cpu', reason: `${gpu.why}; using CPU` };
  }
  try {
    return {
      session: await ort.InferenceSession.create(modelBytes, sessionOptions('cuda')),
      device: 'cuda',
      reason: `CUDA execution provider loaded (${gpu.why})`,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (device === 'cuda') {
      throw new ModelError(
        'cuda-unavailable',
        `CUDA was requested, but ${modelName} cannot start on CUDA: ${why}. Check the CUDA 13 / cuDNN 9 libraries (README, "GPU"), or choose the CPU device (CLI: --device cpu)`,
      );
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
