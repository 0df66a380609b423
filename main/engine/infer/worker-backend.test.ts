// The inference worker: same numbers as onnxruntime in the main thread, the main thread stays free while the
// model runs, and errors come back with their class and code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ModelError } from '../errors.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import type { TileBatch, TileShape } from './batch-runner.ts';
import { loadManifest, type ModelManifest } from './manifest.ts';
import { openOrtBackend } from './ort-backend.ts';
import { openWorkerBackend, stopInferenceWorker } from './worker-backend.ts';

const root = tempFolder('worker-backend');
let manifest: ModelManifest;

before(() => {
  manifest = loadManifest(writeDummyModel(join(root, 'models'), 4).manifestPath);
});

function batch(n: number, panPx: number): { batch: TileBatch; shape: TileShape } {
  const shape: TileShape = { msBands: 4, msHeight: panPx / 4, msWidth: panPx / 4, panHeight: panPx, panWidth: panPx, outBands: 4 };
  const ms = Float32Array.from({ length: n * 4 * (panPx / 4) ** 2 }, (_, i) => ((i * 37) % 1000) / 2000);
  const pan = Float32Array.from({ length: n * panPx * panPx }, (_, i) => ((i * 13) % 1000) / 2000);
  return { batch: { n, ms, pan }, shape };
}

test('the worker computes what the main-thread session computes, and leaves the inputs intact', async () => {
  const { batch: b, shape } = batch(3, 64);
  const msBefore = b.ms.slice();
  const inWorker = await (await openWorkerBackend(manifest, 'cpu')).run(b, shape);
  const inThread = await (await openOrtBackend(manifest, 'cpu')).run(b, shape);
  assert.deepEqual(inWorker, inThread);
  assert.deepEqual(b.ms, msBefore, 'inputs still usable for a retry');
});

test('stopping the worker fails what still holds it, and the next open starts a fresh one that computes the same', async () => {
  const { batch: b, shape } = batch(2, 64);
  const before = await openWorkerBackend(manifest, 'cpu');
  const first = await before.run(b, shape);
  await stopInferenceWorker();
  await assert.rejects(before.run(b, shape), /inference worker thread was stopped/);
  const after = await openWorkerBackend(manifest, 'cpu');
  assert.deepEqual(await after.run(b, shape), first);
  await stopInferenceWorker();
  await stopInferenceWorker(); // none running: nothing to do
});

test('auto without CUDA: the worker opens CPU and says why', async () => {
  const backend = await openWorkerBackend(manifest, 'auto');
  assert.equal(backend.device, 'cpu');
  assert.match(backend.reason, /using CPU/);
});

test('the main thread keeps running while the worker runs the model', async () => {
  const backend = await openWorkerBackend(manifest, 'cpu');
  const { batch: b, shape } = batch(4, 1536);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const t0 = performance.now();
  await backend.run(b, shape);
  const elapsedMs = performance.now() - t0;
  clearInterval(timer);
  assert.ok(elapsedMs > 40, `the run is long enough to tell (${elapsedMs.toFixed(0)} ms)`);
  assert.ok(ticks >= Math.floor(elapsedMs / 5 / 4), `${ticks} timer ticks in ${elapsedMs.toFixed(0)} ms: the event loop was blocked`);
});

test('a broken model file arrives as a ModelError with its code', async () => {
  const bad = join(root, 'models', 'broken.manifest.json');
  writeFileSync(bad, '{"format": "panforge-model-manifest/1"}');
  await assert.rejects(openWorkerBackend({ ...manifest, manifestPath: bad }, 'cpu'), (err: unknown) => {
    assert.ok(err instanceof ModelError, String(err));
    assert.equal(err.code, 'bad-manifest');
    return true;
  });
});
