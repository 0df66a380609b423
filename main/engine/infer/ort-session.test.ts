// Device choice without a GPU: the visibility probe on fake /dev and /proc listings, and `auto` / `cpu` / `cuda`
// on this machine (no CUDA provider installed here, or no GPU): auto says which device and why, cuda fails clearly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelError } from '../errors.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { loadManifest, readVerifiedModel } from './manifest.ts';
import { cudaProviderInstalled, getSession, gpuVisibility } from './ort-session.ts';

const listing = (entries: Record<string, string[]>) => (folder: string) => entries[folder] ?? [];

test('gpuVisibility: /dev/nvidiaN or /proc/driver/nvidia/gpus means visible; CUDA_VISIBLE_DEVICES can hide all', () => {
  assert.deepEqual(gpuVisibility({ env: {}, list: listing({ '/dev': ['null', 'nvidia0', 'nvidiactl', 'nvidia1'] }) }), {
    visible: true,
    why: 'GPU device /dev/nvidia0, /dev/nvidia1',
  });
  assert.equal(gpuVisibility({ env: {}, list: listing({ '/proc/driver/nvidia/gpus': ['0000:01:00.0'] }) }).visible, true);
  const none = gpuVisibility({ env: {}, list: listing({ '/dev': ['null', 'tty'] }) });
  assert.equal(none.visible, false);
  assert.match(none.why, /no NVIDIA GPU visible/);
  const hidden = gpuVisibility({ env: { CUDA_VISIBLE_DEVICES: '-1' }, list: listing({ '/dev': ['nvidia0'] }) });
  assert.deepEqual(hidden, { visible: false, why: 'CUDA_VISIBLE_DEVICES="-1" hides every GPU' });
});

const noCuda = !cudaProviderInstalled() || !gpuVisibility().visible;

test('without CUDA: auto runs on CPU and says why; cuda fails with a ModelError naming the fix', { skip: !noCuda && 'this machine has CUDA' }, async () => {
  const manifest = loadManifest(writeDummyModel(join(tempFolder('ort-session'), 'models'), 4).manifestPath);
  const auto = await getSession(manifest.sha256, () => readVerifiedModel(manifest), 'auto', manifest.name);
  assert.equal(auto.device, 'cpu');
  assert.match(auto.reason, /(CUDA execution provider not installed \(npm run setup:cuda\)|no NVIDIA GPU visible|CUDA could not start).*using CPU/);
  await assert.rejects(
    getSession(manifest.sha256, () => readVerifiedModel(manifest), 'cuda', manifest.name),
    (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.code, 'cuda-unavailable');
      assert.match(err.message, /^CUDA was requested, but .*(setup:cuda|choose the CPU)/);
      return true;
    },
  );
  const cpu = await getSession(manifest.sha256, () => readVerifiedModel(manifest), 'cpu', manifest.name);
  assert.deepEqual([cpu.device, cpu.reason], ['cpu', 'CPU requested']);
});
