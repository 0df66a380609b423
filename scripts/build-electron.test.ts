// Builds the Electron bundles into a scratch folder under dist/ (so npm packages resolve from the repo's
// node_modules like in the app) and checks each one runs where it will run.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { Calls } from '../preload/contract.ts';
import { EngineClient } from '../main/engine/service/engine-client.ts';
import { writeDummyModel } from '../main/engine/testing/dummy-model.ts';
import { writeSyntheticScene } from '../main/engine/testing/synthetic-scene.ts';
import { buildElectron, type ElectronBundles } from './build-electron.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', `.build-test-${process.pid}`);
let bundles: ElectronBundles;

before(async () => {
  bundles = await buildElectron({ outDir });
});
after(() => rmSync(outDir, { recursive: true, force: true }));

test('bundle paths: main is package.json "main", engine and preload where main/app expects them', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  assert.equal(pkg.main, 'dist/main/app/main.js');
  assert.equal(bundles.main, join(outDir, 'main', 'app', 'main.js'));
  assert.equal(bundles.engine, join(outDir, 'engine', 'entry.js'));
  assert.equal(bundles.inferenceWorker, join(outDir, 'engine', 'inference-worker.js'), 'beside the engine, where worker-backend.ts looks');
  assert.equal(bundles.assessmentWorker, join(outDir, 'engine', 'assessment-worker.js'), 'beside the engine, where assessment-pool.ts looks');
  assert.equal(bundles.preload, join(outDir, 'preload', 'index.cjs'));
});

test('main imports only electron and Node built-ins, and no TypeScript', () => {
  const code = readFileSync(bundles.main, 'utf8');
  const imports = [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]!);
  assert.ok(imports.includes('electron'));
  assert.deepEqual(
    imports.filter((s) => s !== 'electron' && !s.startsWith('node:')),
    [],
  );
  assert.doesNotMatch(code, /from\s*"[^"]*\.ts"/);
});

test('the preload runs in a sandbox-like context with only require("electron") and exposes window.panforge', () => {
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: { invoke: async () => null, on: () => undefined, removeListener: () => undefined },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return fakeElectron;
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(bundles.preload, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });
  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()], ['panforge']);
  const api = exposed.get('panforge') as Record<string, unknown>;
  assert.deepEqual(Object.keys(api).sort(), [...Object.keys(Calls), 'onJobEvent'].sort());
});

test('the engine bundle runs as a plain Node child (no tsx): methods, a scene, a Brovey job', async () => {
  const client = new EngineClient({
    start: () => {
      const child = fork(bundles.engine, [], {
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        env: { ...process.env, PANFORGE_MODELS_DIR: join(root, 'models', 'onnx') },
      });
      return {
        post: (m) => void child.send(m),
        onMessage: (l) => void child.on('message', l),
        onExit: (l) => void child.on('exit', (code, signal) => l(signal ?? `exit code ${code}`)),
        kill: () => void child.kill(),
      };
    },
  });
  try {
    const methods = await client.call('methodsList', {});
    assert.ok(methods.ok, JSON.stringify(methods));
    assert.ok(methods.value.some((m) => m.id === 'brovey'));
    // GDAL through the bundle: display copies, stretch statistics and a whole sharpening job.
    const scene = await writeSyntheticScene({ folder: join(outDir, 'scene'), name: 'bundle', panWidth: 128, panHeight: 128 });
    const view = await client.call('sceneOpen', { panPath: scene.panPath, msPath: scene.msPath, cacheDir: join(outDir, 'cache') });
    assert.ok(view.ok, JSON.stringify(view));
    const outPath = join(outDir, 'brovey.tif');
    const job = await client.call('jobStart', {
      request: { sceneId: view.value.sceneId, method: 'brovey', device: 'cpu', tileSizePx: 64, previewExtent: null, adapt: false },
      outPath,
    });
    assert.ok(job.ok, JSON.stringify(job));
    let state = job.value.state;
    for (let i = 0; i < 600 && (state === 'queued' || state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const list = await client.call('jobList', {});
      state = list.ok ? (list.value.find((j) => j.jobId === job.value.jobId)?.state ?? 'failed') : 'failed';
    }
    assert.equal(state, 'done');
    assert.ok(statSync(outPath).size > 0);
  } finally {
    client.stop();
  }
});

test('the inference worker bundle runs a network in a worker thread without tsx', async () => {
  const { manifestPath } = writeDummyModel(join(outDir, 'models'), 4);
  const worker = new Worker(bundles.inferenceWorker, { execArgv: [] });
  const ask = (message: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  try {
    const opened = await ask({ kind: 'request', id: 1, method: 'open', payload: { manifestPath, device: 'cpu' } });
    assert.equal(opened.kind, 'result', JSON.stringify(opened));
    const { backend } = opened.value as { backend: string };
    const shape = { msBands: 4, msHeight: 8, msWidth: 8, panHeight: 32, panWidth: 32, outBands: 4 };
    const ran = await ask({
      kind: 'request',
      id: 2,
      method: 'run',
      payload: { backend, batch: { n: 2, ms: new Float32Array(2 * 4 * 64).fill(0.25), pan: new Float32Array(2 * 1024).fill(0.25) }, shape },
    });
    assert.equal(ran.kind, 'result', JSON.stringify(ran));
    assert.ok(ran.value instanceof Float32Array && ran.value.length === 2 * 4 * 1024);
  } finally {
    await worker.terminate();
  }
});

test('the assessment worker bundle computes a reduced-resolution tile in a worker thread without tsx', async () => {
  const worker = new Worker(bundles.assessmentWorker, { execArgv: [] });
  const ask = (message: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  try {
    const [bands, width, height] = [4, 64, 64];
    const setup = await ask({ kind: 'request', id: 1, method: 'setup-rr', payload: { bands, width, height, ratio: 4, bitDepth: 11, samMap: true } });
    assert.equal(setup.kind, 'result', JSON.stringify(setup));
    const window = { colOff: 0, rowOff: 0, width, height };
    const ref = new Float64Array(bands * width * height).map((_, i) => 100 + (i % 97));
    const tile = await ask({
      kind: 'request',
      id: 2,
      method: 'tile-rr',
      payload: { core: window, read: window, ref: { bands, width, height, data: ref }, fused: { bands, width, height, data: ref.map((v) => v + 1) } },
    });
    assert.equal(tile.kind, 'result', JSON.stringify(tile));
    const output = tile.value as { state: { parts: unknown[] }; sam: { data: Float32Array } };
    assert.equal(output.state.parts.length, 6, 'Q2n, Q, SAM, ERGAS, SCC, PSNR');
    assert.ok(output.sam.data instanceof Float32Array && output.sam.data.length === width * height);
  } finally {
    await worker.terminate();
  }
});
