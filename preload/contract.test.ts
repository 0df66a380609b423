// Parsers of the storage calls and of the device fields of a job's result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Calls, JobEvent, parseRequest, parseValue, type JobResult, type JobSnapshot, type StorageUsage } from './contract.ts';

const usage: StorageUsage = {
  runsBytes: 1_234_567,
  cacheBytes: 89_000,
  cacheFiles: 2,
  cacheMaxBytes: 8 * 1024 ** 3,
  cacheMaxAgeDays: 30,
  runs: [
    {
      outPath: '/ud/runs/a.tif',
      method: 'premix',
      panPath: '/data/a_pan.tif',
      state: 'done',
      finishedAt: '2026-12-01T00:00:00.000Z',
      sizeBytes: 1_000_000,
      inUse: false,
    },
  ],
};

test('storage calls have channels named panforge:storage.<verb>', () => {
  assert.deepEqual(
    [Calls.storageUsage.channel, Calls.storageRemoveRun.channel, Calls.storageClearCache.channel],
    ['panforge:storage.usage', 'panforge:storage.removeRun', 'panforge:storage.clearCache'],
  );
});

test('storageRemoveRun: one non-empty path string, extra fields dropped', () => {
  assert.deepEqual(parseRequest('storageRemoveRun', { outPath: '/ud/runs/a.tif', force: true }), { outPath: '/ud/runs/a.tif' });
  for (const bad of [{}, { outPath: '' }, { outPath: 3 }, { outPath: ['/x'] }, null, 'a.tif']) {
    assert.throws(() => parseRequest('storageRemoveRun', bad), { code: 'contract' }, JSON.stringify(bad));
  }
  assert.throws(() => parseRequest('storageRemoveRun', { outPath: 'x'.repeat(5000) }), /panforge:storage\.removeRun\.outPath: expected a non-empty string/);
});

test('StorageUsage replies: integers for bytes, a boolean inUse per run', () => {
  assert.deepEqual(parseValue('storageUsage', usage), usage);
  assert.deepEqual(parseValue('storageClearCache', usage), usage);
  assert.throws(() => parseValue('storageUsage', { ...usage, runsBytes: 1.5 }), /runsBytes: expected an integer/);
  assert.throws(() => parseValue('storageUsage', { ...usage, cacheBytes: '89000' }), /cacheBytes: expected an integer/);
  assert.throws(() => parseValue('storageRemoveRun', { ...usage, runs: [{ ...usage.runs[0], inUse: 'no' }] }), /runs\[0\]\.inUse: expected a boolean/);
  assert.throws(() => parseValue('storageUsage', { ...usage, runs: [{ ...usage.runs[0], outPath: '' }] }), /runs\[0\]\.outPath/);
});

const result: JobResult = {
  layer: {
    layerId: 'j1-out',
    kind: 'output',
    name: 'PreMix',
    bandCount: 4,
    bandDescriptions: [],
    dataType: 'UInt16',
    extent: [0, 0, 1, 1],
    width: 8,
    height: 8,
    stats: [],
    noData: null,
  },
  device: 'cpu',
  deviceReason: 'simulated CUDA device',
  deviceEvents: [
    'CUDA failed on a batch of 4 tiles (CUDA failure 2: out of memory ; GPU=0); retrying with batches of 2',
    'CUDA failed on a single tile (CUDA failure 2: out of memory ; GPU=0); continuing on CPU',
  ],
  modelName: 'premix-4band',
  elapsedMs: 1000,
  megapixelsPerSecond: 1,
  tiles: 4,
  tileSizePx: 512,
  width: 8,
  height: 8,
  dataType: 'UInt16',
  adaptation: null,
};
const job: JobSnapshot = {
  jobId: 'j1',
  sceneId: 's1',
  method: 'premix',
  device: 'auto',
  tileSizePx: 512,
  previewExtent: null,
  adapt: false,
  state: 'done',
  progress: null,
  error: null,
  result,
  createdAt: '2026-12-01T00:00:00.000Z',
};

test('a done job event carries the device used, why, and the fallback events', () => {
  assert.deepEqual(JobEvent({ type: 'state', job }, 'event'), { type: 'state', job });
  const withResult = (patch: Record<string, unknown>) => ({ type: 'state', job: { ...job, result: { ...result, ...patch } } });
  assert.throws(() => JobEvent(withResult({ deviceEvents: undefined }), 'event'), /event\.job\.result\.deviceEvents: expected an array/);
  assert.throws(() => JobEvent(withResult({ deviceEvents: ['ok', 7] }), 'event'), /deviceEvents\[1\]: expected a string/);
  assert.throws(() => JobEvent(withResult({ deviceEvents: Array.from({ length: 65 }, () => 'x') }), 'event'), /≤ 64 items/);
  assert.throws(() => JobEvent(withResult({ deviceReason: null }), 'event'), /deviceReason: expected a string/);
});
