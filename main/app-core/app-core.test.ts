// AppCore against the real engine process (forkEngine) on a small synthetic scene.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { JobEvent, JobSnapshot, JobStartRequest, Reply, SceneFiles, SceneView, StorageUsage } from '../../preload/contract.ts';
import { BatchRunner, type InferenceBackend } from '../engine/infer/batch-runner.ts';
import type { EngineTransport } from '../engine/service/engine-client.ts';
import { forkEngine } from '../engine/service/fork-engine.ts';
import { writeSyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { AppCore, type AppChooser } from './app-core.ts';
import { canonicalPath } from './path-allowlist.ts';

const root = tempFolder('app-core');
const userDataDir = join(root, 'user-data');
const exportDir = join(root, 'exports');
mkdirSync(exportDir);

let scene: SceneFiles;
let other: SceneFiles;
const chooser: AppChooser & { folder: string | null; files: SceneFiles | null } = {
  folder: null,
  files: null,
  chooseSceneFiles: async () => chooser.files,
  chooseSceneFolder: async () => chooser.folder,
  chooseExportPath: async (name) => join(exportDir, name),
};

function core(extra: Partial<ConstructorParameters<typeof AppCore>[0]> = {}): AppCore {
  return new AppCore({
    mode: 'browser',
    version: 'test',
    userDataDir,
    outputsBaseUrl: 'http://127.0.0.1:1/outputs/',
    outputsQuery: '?token=t',
    startEngine: () => forkEngine(),
    chooser,
    allowScenePaths: [join(root, 'allowed')],
    exportDirs: [exportDir],
    ...extra,
  });
}

function value<T>(reply: Reply<unknown>): T {
  if (!reply.ok) assert.fail(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

function errorOf(reply: Reply<unknown>): { code: string; message: string } {
  if (reply.ok) assert.fail('expected an error reply');
  return reply.error;
}

let app: AppCore;
const events: JobEvent[] = [];

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'allowed', 'product'), name: 'area', panWidth: 256, panHeight: 256 });
  const o = await writeSyntheticScene({ folder: join(root, 'elsewhere'), name: 'other', panWidth: 128, panHeight: 128 });
  other = { panPath: o.panPath, msPath: o.msPath };
  app = core();
  app.onJobEvent((e) => events.push(e));
});
after(() => app.stop());

function waitForState(jobId: string, states: string[]): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const check = (e: JobEvent) => {
      if (e.type === 'state' && e.job.jobId === jobId && states.includes(e.job.state)) {
        off();
        resolve(e.job);
      }
    };
    const off = app.onJobEvent(check);
    for (const e of events) check(e);
  });
}

test('appInfo and methodsList', async () => {
  assert.deepEqual(value(await app.call('appInfo', {})), {
    mode: 'browser',
    version: 'test',
    outputsBaseUrl: 'http://127.0.0.1:1/outputs/',
    outputsQuery: '?token=t',
  });
  const methods = value<{ id: string }[]>(await app.call('methodsList', {}));
  assert.ok(
    methods.some((m) => m.id === 'brovey'),
    JSON.stringify(methods.map((m) => m.id)),
  );
});

test('payloads are parsed first, and files outside the allowlist are refused before the engine sees them', async () => {
  assert.equal(errorOf(await app.call('sceneOpen', { panPath: scene.panPath })).code, 'contract');
  const refused = errorOf(await app.call('sceneOpen', other));
  assert.equal(refused.code, 'path-not-allowed');
  assert.match(refused.message, /other_pan\.tif" is not a file you chose; restart the host with --allow/);
  const traversal = errorOf(await app.call('sceneOpen', { panPath: join(root, 'allowed', '..', 'elsewhere', 'other_pan.tif'), msPath: scene.msPath }));
  assert.equal(traversal.code, 'path-not-allowed');
  assert.equal(
    errorOf(await app.call('jobStart', { sceneId: 'nope', method: 'brovey', device: 'cpu', tileSizePx: 128, previewExtent: null })).code,
    'unknown-scene',
  );
});

let view: SceneView;

test('sceneOpen: layers registered and served with Range; a run writes into user-data/runs and is served too', async () => {
  view = value<SceneView>(await app.call('sceneOpen', scene));
  assert.deepEqual(view.files, { panPath: canonicalPath(scene.panPath), msPath: canonicalPath(scene.msPath) });
  for (const layer of view.layers) {
    const r = app.rasterResponse(layer.layerId, 'GET', 'bytes=0-3');
    assert.equal(r.status, 206, layer.layerId);
    assert.equal(r.headers['Content-Range']?.startsWith('bytes 0-3/'), true);
  }
  assert.equal(app.rasterResponse('s0000000000-pan', 'GET', null).status, 404);
  assert.equal(app.rasterResponse(null, 'GET', null).status, 404);

  const started = value<JobSnapshot>(
    await app.call('jobStart', { sceneId: view.sceneId, method: 'brovey', device: 'cpu', tileSizePx: 128, previewExtent: null }),
  );
  const done = await waitForState(started.jobId, ['done', 'failed', 'cancelled']);
  assert.equal(done.state, 'done', JSON.stringify(done.error));
  assert.ok(
    events.some((e) => e.type === 'progress' && e.jobId === started.jobId),
    'progress events are forwarded',
  );
  const out = app.rasterResponse(done.result!.layer.layerId, 'HEAD', null);
  assert.equal(out.status, 200);
  assert.ok(Number(out.headers['Content-Length']) > 1000);
  assert.equal(readdirSync(join(userDataDir, 'runs')).filter((f) => f.endsWith('.tif')).length, 1);

  const jobs = value<JobSnapshot[]>(await app.call('jobList', {}));
  assert.deepEqual(
    jobs.map((j) => [j.jobId, j.state]),
    [[started.jobId, 'done']],
  );
  const recent = value<{ scenes: SceneFiles[]; runs: { method: string; state: string; outPath: string }[] }>(await app.call('recentList', {}));
  assert.equal(recent.scenes[0]!.panPath, canonicalPath(scene.panPath));
  assert.deepEqual(
    recent.runs.map((r) => [r.method, r.state, dirname(r.outPath)]),
    [['brovey', 'done', join(userDataDir, 'runs')]],
  );
  // The device the run used, and why, reach the renderer through the contract.
  assert.deepEqual([done.result!.device, done.result!.deviceReason, done.result!.deviceEvents], ['js', 'TypeScript baseline, runs on the CPU', []]);
});

test('storage: usage of runs and cache, clear cache keeps the copies shown, remove a run (files and recent entry)', async () => {
  const usage = value<StorageUsage>(await app.call('storageUsage', {}));
  assert.ok(usage.runsBytes > 1000 && usage.cacheBytes > 1000, JSON.stringify(usage));
  assert.equal(usage.cacheFiles, 2, 'the PAN and MS display copies');
  assert.deepEqual(
    usage.runs.map((r) => [r.method, r.inUse]),
    [['brovey', false]],
  );
  const run = usage.runs[0]!;
  assert.ok(run.sizeBytes > 1000 && run.sizeBytes <= usage.runsBytes);

  // Both display copies are on the map: clearing the cache keeps them.
  assert.equal(value<StorageUsage>(await app.call('storageClearCache', {})).cacheFiles, 2);

  for (const outPath of [join(userDataDir, 'runs', '..', 'recent.json'), join(userDataDir, 'cache', '..', '..', 'exports', 'x.tif'), 'runs/x.tif']) {
    assert.equal(errorOf(await app.call('storageRemoveRun', { outPath })).code, 'path-not-allowed', outPath);
  }
  assert.equal(errorOf(await app.call('storageRemoveRun', { outPath: 42 })).code, 'contract');
  assert.ok(existsSync(join(userDataDir, 'recent.json')));

  const after = value<StorageUsage>(await app.call('storageRemoveRun', { outPath: run.outPath }));
  assert.deepEqual(after.runs, []);
  assert.ok(!existsSync(run.outPath));
  assert.equal(after.runsBytes, 0);
  assert.deepEqual(value<{ runs: unknown[] }>(await app.call('recentList', {})).runs, []);
});

test('start-up sweep: an unlisted old run (crash orphan) and a dead partial are deleted, listed runs stay', async () => {
  const ud = join(root, 'sweep-user-data');
  mkdirSync(join(ud, 'runs'), { recursive: true });
  const listed = join(ud, 'runs', 'listed.tif');
  const old = new Date(Date.now() - 3_600_000 - process.uptime() * 1000);
  for (const name of ['listed.tif', 'orphan.tif', 'dead.partial.tif']) {
    writeFileSync(join(ud, 'runs', name), 'x');
    utimesSync(join(ud, 'runs', name), old, old);
  }
  writeFileSync(
    join(ud, 'recent.json'),
    JSON.stringify({ scenes: [], runs: [{ method: 'gsa', panPath: '/p.tif', outPath: listed, state: 'done', elapsedMs: 1, finishedAt: old.toISOString() }] }),
  );
  const logs: string[] = [];
  const fresh = core({ userDataDir: ud, log: (m) => logs.push(m), startEngine: () => assert.fail('the sweep needs no engine') });
  assert.deepEqual(readdirSync(join(ud, 'runs')), ['listed.tif']);
  assert.match(logs.join('\n'), /storage start-up sweep: deleted 2 file\(s\)/);
  assert.deepEqual(
    value<StorageUsage>(await fresh.call('storageUsage', {})).runs.map((r) => r.outPath),
    [listed],
  );
});

test('export: only to chosen paths or the export folder', async () => {
  const layerId = view.layers[1]!.layerId;
  const request = { layerId, format: 'GTiff', dataType: 'source', compression: 'DEFLATE', bandIndexes: [2, 1, 0], extent: null };
  const refused = errorOf(await app.call('exportRun', { ...request, outPath: join(root, 'elsewhere', 'x.tif') }));
  assert.equal(refused.code, 'path-not-allowed');
  assert.equal(errorOf(await app.call('exportRun', { ...request, outPath: join(exportDir, '..', 'x.tif') })).code, 'path-not-allowed');
  const chosen = value<string>(await app.call('exportChoosePath', { suggestedName: 'ms-rgb.tif' }));
  const result = value<{ path: string; bandCount: number }>(await app.call('exportRun', { ...request, outPath: chosen }));
  assert.equal(result.bandCount, 3);
  assert.ok(existsSync(join(exportDir, 'ms-rgb.tif')));
  const again = errorOf(await app.call('exportRun', { ...request, outPath: chosen }));
  assert.equal(again.code, 'output-exists');
  assert.match(again.message, /ms-rgb\.tif already exists; exports never replace a file/);
});

test('sceneChoose: a chosen folder is paired and its two files become openable; cancel is null', async () => {
  chooser.folder = null;
  assert.equal(value(await app.call('sceneChoose', { mode: 'folder' })), null);
  chooser.folder = dirname(other.panPath);
  assert.deepEqual(value(await app.call('sceneChoose', { mode: 'folder' })), other);
  const opened = value<SceneView>(await app.call('sceneOpen', other));
  assert.equal(opened.layers.length, 2);
  chooser.folder = join(root, 'empty');
  mkdirSync(chooser.folder);
  assert.equal(errorOf(await app.call('sceneChoose', { mode: 'folder' })).code, 'folder-no-pair');
});

test('recent scenes are reopenable in a later session only when trusted (Electron), not in the host', async () => {
  const again = core({ allowScenePaths: [], trustRecentScenes: true, startEngine: () => assert.fail('no engine needed to refuse') });
  const host = core({ allowScenePaths: [], trustRecentScenes: false, startEngine: () => assert.fail('no engine needed to refuse') });
  assert.equal(errorOf(await host.call('sceneOpen', other)).code, 'path-not-allowed');
  // Only openable scenes are offered: none for the host without --allow, all of them for the trusted core.
  assert.deepEqual(value<{ scenes: unknown[] }>(await host.call('recentList', {})).scenes, []);
  assert.equal(value<{ scenes: unknown[] }>(await again.call('recentList', {})).scenes.length, 2);
  // The trusted core gets past the allowlist and asks the engine (which this test refuses to start).
  const trusted = errorOf(await again.call('sceneOpen', other));
  assert.match(trusted.message, /no engine needed to refuse/);
});

test('an engine crash fails the running job, keeps it in jobList, and the next call starts a fresh engine', async () => {
  const big = await writeSyntheticScene({ folder: join(root, 'allowed', 'big'), name: 'big', panWidth: 1024, panHeight: 1024 });
  let pid: number | undefined;
  const crashing = core({
    userDataDir: join(root, 'user-data-2'),
    startEngine: () => {
      const t = forkEngine();
      pid = t.pid;
      return t;
    },
  });
  try {
    const opened = value<SceneView>(await crashing.call('sceneOpen', big));
    let replied = false;
    const running = new Promise<JobSnapshot>((resolve) => {
      const off = crashing.onJobEvent((e) => {
        // Kill mid-run, once the start reply is in (the first progress can overtake it).
        if (e.type === 'progress' && replied && e.progress.tilesDone > 0) process.kill(pid!, 'SIGKILL');
        if (e.type === 'state' && e.job.state === 'failed') {
          off();
          resolve(e.job);
        }
      });
    });
    const job = value<JobSnapshot>(
      await crashing.call('jobStart', { sceneId: opened.sceneId, method: 'brovey', device: 'cpu', tileSizePx: 64, previewExtent: null }),
    );
    replied = true;
    const failed = await running;
    assert.equal(failed.jobId, job.jobId);
    assert.equal(failed.error?.code, 'engine-crashed');
    const jobs = value<JobSnapshot[]>(await crashing.call('jobList', {}));
    assert.deepEqual(
      jobs.map((j) => [j.jobId, j.state]),
      [[job.jobId, 'failed']],
    );
    assert.deepEqual(
      readdirSync(join(root, 'user-data-2', 'runs')).filter((f) => !f.includes('partial')),
      [],
      'no finished output from a crashed run',
    );
  } finally {
    crashing.stop();
  }
});

test('stopping on purpose (quit) is not reported as an engine crash', async () => {
  const logs: string[] = [];
  let pid: number | undefined;
  const quitting = core({
    userDataDir: join(root, 'user-data-3'),
    log: (m) => logs.push(m),
    startEngine: () => {
      const t = forkEngine();
      pid = t.pid;
      return t;
    },
  });
  value(await quitting.call('methodsList', {}));
  quitting.stop();
  const alive = () => {
    try {
      process.kill(pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (alive()) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    logs.filter((m) => /stopped unexpectedly/.test(m)),
    [],
  );
  assert.ok(
    logs.some((m) => /engine service ready/.test(m)),
    'the log sink was wired',
  );
});

/**
 * An engine stand-in speaking the service protocol: it opens any scene, and its one job's device story comes from
 * the engine's own BatchRunner with a simulated CUDA that runs out of memory on every batch (so the batch shrinks
 * 4 → 2 → 1, then CPU finishes). The job finishes when `finish()` is called.
 */
function fallbackEngine(sceneView: SceneView) {
  let listener: (message: unknown) => void = () => {};
  const send = (message: unknown) => setImmediate(() => listener(message));
  const started: { outPath: string; snapshot: JobSnapshot }[] = [];
  const transport: EngineTransport = {
    post(message) {
      if (message.kind !== 'request') return;
      if (message.method === 'sceneOpen') send({ kind: 'result', id: message.id, value: sceneView });
      if (message.method === 'jobStart') {
        const { request, outPath } = message.payload as { request: JobStartRequest; outPath: string };
        const snapshot: JobSnapshot = {
          jobId: 'j-fake',
          ...request,
          state: 'queued',
          progress: null,
          error: null,
          result: null,
          createdAt: new Date().toISOString(),
        };
        started.push({ outPath, snapshot });
        send({ kind: 'result', id: message.id, value: snapshot });
      }
    },
    onMessage: (l) => (listener = l),
    onExit: () => {},
    kill: () => {},
  };
  const finish = async () => {
    const shape = { msBands: 1, msHeight: 1, msWidth: 1, panHeight: 4, panWidth: 4, outBands: 1 };
    const cpu: InferenceBackend = { device: 'cpu', reason: 'CPU requested', run: async (b) => new Float32Array(b.n * 16) };
    const cuda: InferenceBackend = {
      device: 'cuda',
      reason: 'simulated CUDA device',
      run: async () => Promise.reject(new Error('CUDA failure 2: out of memory ; GPU=0')),
    };
    const runner = new BatchRunner({ backend: cuda, openCpu: async () => cpu, batchSize: 4 });
    await runner.run({ n: 4, ms: new Float32Array(4), pan: new Float32Array(64) }, shape);
    const layer = {
      layerId: 'j-fake-out',
      kind: 'output',
      name: 'fake',
      bandCount: 1,
      bandDescriptions: [],
      dataType: 'Float32',
      extent: [0, 0, 4, 4],
      width: 4,
      height: 4,
      stats: [],
      noData: null,
    };
    const result = {
      layer,
      device: runner.device,
      deviceReason: cuda.reason,
      deviceEvents: runner.events,
      modelName: 'fake',
      elapsedMs: 1,
      megapixelsPerSecond: 1,
      tiles: 4,
      tileSizePx: 64,
      width: 4,
      height: 4,
      dataType: 'Float32',
    };
    const job = { ...started[0]!.snapshot, state: 'done' };
    // A result whose events are not strings never reaches the app: the client drops the message.
    send({ kind: 'notice', topic: 'job-event', payload: { type: 'state', job: { ...job, result: { ...result, deviceEvents: [42] } } } });
    send({ kind: 'notice', topic: 'job-event', payload: { type: 'state', job: { ...job, result } } });
  };
  return { transport, started, finish };
}

test('a network run that fell back from CUDA to CPU: the device, why, and each step reach the renderer; its output is in use until it ends', async () => {
  const sceneView: SceneView = {
    sceneId: 'sfake',
    files: scene,
    sensor: null,
    ratio: 4,
    crsName: 'local',
    crsCode: null,
    crsProj4: '+proj=longlat',
    extent: [0, 0, 4, 4],
    crsUnits: 'other',
    panPixelSize: 1,
    panGroundPixelM: [1, 1],
    valueMax: 2047,
    valueLabel: '11-bit DN',
    layout: { sensor: null, sensorSource: 'none', bandNames: [], bandSource: 'none', bandsGuessed: false, presets: [], sensors: [] },
    cuda: { available: false, why: 'test' },
    notes: [],
    methods: [],
    layers: [],
  };
  const engine = fallbackEngine(sceneView);
  const logs: string[] = [];
  const fake = core({ userDataDir: join(root, 'user-data-fallback'), startEngine: () => engine.transport, log: (m) => logs.push(m) });
  const seen: JobEvent[] = [];
  fake.onJobEvent((e) => seen.push(e));
  value(await fake.call('sceneOpen', scene));
  value(await fake.call('jobStart', { sceneId: 'sfake', method: 'premix', device: 'auto', tileSizePx: 64, previewExtent: null }));
  const { outPath } = engine.started[0]!;
  assert.equal(errorOf(await fake.call('storageRemoveRun', { outPath })).code, 'run-in-use');

  await engine.finish();
  while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 1, 'the malformed result was dropped');
  assert.match(logs.join('\n'), /malformed message, ignored: .*deviceEvents\[0\]: expected a string/);
  const done = seen[0]!;
  assert.ok(done.type === 'state' && done.job.result);
  const r = done.job.result;
  assert.deepEqual([r.device, r.deviceReason], ['cpu', 'simulated CUDA device']);
  assert.equal(r.deviceEvents.length, 3);
  assert.match(r.deviceEvents[0]!, /^CUDA failed on a batch of 4 tiles \(CUDA failure 2: out of memory ; GPU=0\); retrying with batches of 2$/);
  assert.match(r.deviceEvents[1]!, /batch of 2 tiles .*retrying with batches of 1$/);
  assert.match(r.deviceEvents[2]!, /^CUDA failed on a single tile .*; continuing on CPU$/);
  // Ended: no longer protected (nothing was written, so nothing to delete).
  assert.deepEqual(value<StorageUsage>(await fake.call('storageRemoveRun', { outPath })).runs, []);
  fake.stop();
});
