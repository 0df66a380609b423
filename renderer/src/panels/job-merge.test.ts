import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobProgress, JobSnapshot } from '../../../preload/contract.ts';
import { mergeJob } from './job-merge.ts';

const base: JobSnapshot = {
  jobId: 'j1',
  sceneId: 's1',
  method: 'brovey',
  device: 'auto',
  tileSizePx: 512,
  previewExtent: null,
  adapt: false,
  state: 'queued',
  progress: null,
  error: null,
  result: null,
  createdAt: '2026-12-01T00:00:00Z',
};
const progress = (tilesDone: number): JobProgress => ({
  stage: 'fuse',
  tilesDone,
  tilesTotal: 9,
  megapixelsDone: 0,
  megapixelsTotal: 1.6,
  megapixelsPerSecond: 1,
  etaSeconds: 3,
  elapsedMs: 10,
});

test('a late queued reply does not undo a running event', () => {
  const running = { ...base, state: 'running' as const, progress: progress(1) };
  assert.equal(mergeJob(running, base), running);
  assert.equal(mergeJob(undefined, base), base);
  assert.equal(mergeJob(base, running), running);
});

test('final states stand; at equal state the furthest progress wins', () => {
  const done = { ...base, state: 'done' as const };
  const failed = { ...base, state: 'failed' as const };
  assert.equal(mergeJob(done, { ...base, state: 'running' }), done);
  assert.equal(mergeJob(done, failed), done);
  const at5 = { ...base, state: 'running' as const, progress: progress(5) };
  const at3 = { ...base, state: 'running' as const, progress: progress(3) };
  assert.deepEqual(mergeJob(at5, at3).progress, progress(5));
  assert.equal(mergeJob(at3, at5), at5);
});
