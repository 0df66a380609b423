// Storage housekeeping on a synthetic user-data folder: ages set with utimes, a fixed "process start" and "now".
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { UserStorage } from './user-storage.ts';

const root = tempFolder('user-storage');
const NOW = Date.parse('2026-12-01T12:00:00Z');
const START = NOW - 60_000; // this "process" started a minute ago
const DAY = 86_400_000;
let folders = 0;

/** A fresh user-data folder; `files` maps 'runs/x.tif' → [bytes, age in ms before NOW]. */
function userData(files: Record<string, [number, number]>): string {
  const ud = join(root, `ud${++folders}`);
  mkdirSync(join(ud, 'runs'), { recursive: true });
  mkdirSync(join(ud, 'cache'), { recursive: true });
  for (const [rel, [bytes, ageMs]] of Object.entries(files)) {
    const path = join(ud, rel);
    writeFileSync(path, Buffer.alloc(bytes, 1));
    const t = new Date(NOW - ageMs);
    utimesSync(path, t, t);
  }
  return ud;
}

function storage(ud: string, extra: { cacheMaxBytes?: number; cacheMaxAgeDays?: number } = {}): UserStorage {
  return new UserStorage({ userDataDir: ud, processStartMs: START, now: () => NOW, ...extra });
}

const left = (ud: string, area: 'runs' | 'cache') => readdirSync(join(ud, area)).sort();

test('start-up sweep of runs/: orphans and old partials go; listed runs, their siblings and fresh writes stay', () => {
  const ud = userData({
    'runs/listed.tif': [100, 5 * DAY],
    'runs/listed.sam-ms.tif': [10, 5 * DAY],
    'runs/orphan.tif': [200, 2 * DAY],
    'runs/orphan.sam-ms.tif': [20, 2 * DAY],
    'runs/crashed.partial.tif': [50, DAY],
    'runs/writing.partial.tif': [70, 1000], // newer than this process: someone is writing it
    'runs/fresh-orphan.tif': [30, 1000],
  });
  const removed = storage(ud).sweep({ runs: [join(ud, 'runs', 'listed.tif')], inUse: [] });
  assert.deepEqual(left(ud, 'runs'), ['fresh-orphan.tif', 'listed.sam-ms.tif', 'listed.tif', 'writing.partial.tif']);
  assert.deepEqual(removed.map((r) => [r.path.split('/').pop(), r.why, r.bytes]).sort(), [
    ['crashed.partial.tif', 'partial', 50],
    ['orphan.sam-ms.tif', 'orphan', 20],
    ['orphan.tif', 'orphan', 200],
  ]);
});

test('a run a job writes is never swept, even when old and unlisted; an unreadable recent list deletes no run', () => {
  const ud = userData({ 'runs/job.tif': [10, DAY], 'runs/job.partial.tif': [10, DAY], 'runs/other.tif': [10, DAY] });
  storage(ud).sweep({ runs: [], inUse: [join(ud, 'runs', 'job.tif')] });
  assert.deepEqual(left(ud, 'runs'), ['job.partial.tif', 'job.tif']);

  const ud2 = userData({ 'runs/a.tif': [10, DAY], 'runs/b.tif': [10, DAY], 'runs/c.partial.tif': [10, DAY] });
  storage(ud2).sweep({ runs: null, inUse: [] });
  assert.deepEqual(left(ud2, 'runs'), ['a.tif', 'b.tif'], 'runs kept; the dead partial still goes');
});

test('cache: copies unused for N days go, then the total is capped least recently used first; copies in use stay', () => {
  const ud = userData({
    'cache/ancient-0000000000000000.cog.tif': [100, 40 * DAY],
    'cache/shown-1111111111111111.cog.tif': [400, 50 * DAY], // old mtime, but the map shows it now
    'cache/old-2222222222222222.cog.tif': [300, 10 * DAY],
    'cache/mid-3333333333333333.cog.tif': [300, 5 * DAY],
    'cache/new-4444444444444444.cog.tif': [300, DAY],
    'cache/x-5555555555555555.cog.tif.123.partial.tif': [10, 2 * DAY],
    'cache/index': [5000, 90 * DAY], // Chromium's Cache/ on a case-insensitive disk: not ours, never touched
  });
  const shown = join(ud, 'cache', 'shown-1111111111111111.cog.tif');
  const removed = storage(ud, { cacheMaxAgeDays: 30, cacheMaxBytes: 1000 }).sweep({ runs: [], inUse: [shown] });
  // 400 (shown) + 300 + 300 + 300 = 1300 > 1000: the least recently used unprotected copy (old) goes → 1000.
  assert.deepEqual(left(ud, 'cache'), ['index', 'mid-3333333333333333.cog.tif', 'new-4444444444444444.cog.tif', 'shown-1111111111111111.cog.tif']);
  assert.deepEqual(removed.map((r) => r.why).sort(), ['over-cap', 'partial', 'unused']);
  const usage = storage(ud, { cacheMaxBytes: 1000 }).usage([], []);
  assert.equal(usage.cacheBytes, 1000);
  assert.equal(usage.cacheFiles, 3);
});

test('the cap alone (after a scene opens) and touch: a copy used again moves to the back of the LRU order', () => {
  const ud = userData({ 'cache/a.cog.tif': [600, 3 * DAY], 'cache/b.cog.tif': [600, 2 * DAY], 'cache/c.cog.tif': [600, DAY] });
  const s = storage(ud, { cacheMaxBytes: 1300 });
  s.touch(join(ud, 'cache', 'a.cog.tif'));
  assert.equal(statSync(join(ud, 'cache', 'a.cog.tif')).mtimeMs, NOW);
  s.enforceCacheCap([join(ud, 'cache', 'c.cog.tif')]);
  assert.deepEqual(left(ud, 'cache'), ['a.cog.tif', 'c.cog.tif']);
  // touch outside cache/ does nothing (and does not throw).
  writeFileSync(join(root, 'elsewhere.tif'), 'x');
  const before = statSync(join(root, 'elsewhere.tif')).mtimeMs;
  s.touch(join(root, 'elsewhere.tif'));
  assert.equal(statSync(join(root, 'elsewhere.tif')).mtimeMs, before);
});

test('clearCache keeps copies in use and writes in progress', () => {
  const ud = userData({ 'cache/a.cog.tif': [10, DAY], 'cache/b.cog.tif': [10, DAY], 'cache/c.cog.tif.9.partial.tif': [10, 1000], 'cache/data_0': [10, DAY] });
  const removed = storage(ud).clearCache([join(ud, 'cache', 'b.cog.tif')]);
  assert.deepEqual(left(ud, 'cache'), ['b.cog.tif', 'c.cog.tif.9.partial.tif', 'data_0']);
  assert.deepEqual(
    removed.map((r) => r.why),
    ['cleared'],
  );
});

test('removeRun: the run and its siblings; refused while a job writes it, or outside runs/', () => {
  const ud = userData({
    'runs/r1.tif': [100, DAY],
    'runs/r1.sam-ms.tif': [10, DAY],
    'runs/r10.tif': [5, DAY],
    'runs/r2.tif': [7, DAY],
    'recent.json': [2, DAY],
  });
  const s = storage(ud);
  const removed = s.removeRun(join(ud, 'runs', 'r1.tif'), []);
  assert.deepEqual(removed.map((r) => r.path.split('/').pop()).sort(), ['r1.sam-ms.tif', 'r1.tif']);
  assert.deepEqual(left(ud, 'runs'), ['r10.tif', 'r2.tif'], 'r10 shares a prefix, not the stem');
  assert.throws(() => s.removeRun(join(ud, 'runs', 'r2.tif'), [join(ud, 'runs', 'r2.tif')]), { code: 'run-in-use' });
  assert.ok(existsSync(join(ud, 'runs', 'r2.tif')));
  for (const escape of [`${ud}/runs/../recent.json`, `${ud}/runs/../../ud1/runs/listed.tif`, 'runs/r2.tif']) {
    assert.throws(() => s.removeRun(escape, []), { code: 'path-not-allowed' }, escape);
  }
  assert.ok(existsSync(join(ud, 'recent.json')));
  // A link in runs/ to a file elsewhere: the listing skips it, removal never follows it.
  writeFileSync(join(root, 'target.tif'), 'keep me');
  symlinkSync(join(root, 'target.tif'), join(ud, 'runs', 'r3.tif'));
  assert.deepEqual(s.removeRun(join(ud, 'runs', 'r3.tif'), []), []);
  assert.ok(existsSync(join(root, 'target.tif')));
  s.sweep({ runs: [], inUse: [] });
  assert.ok(existsSync(join(root, 'target.tif')), 'the sweep never deletes through a link');
});

test('usage: bytes per listed run with its siblings, in-use flag, totals; runs without files are left out', () => {
  const ud = userData({ 'runs/a.tif': [100, DAY], 'runs/a.sam-ms.tif': [10, DAY], 'runs/b.partial.tif': [40, 1000], 'cache/c.cog.tif': [25, DAY] });
  const listed = [
    { outPath: join(ud, 'runs', 'a.tif'), method: 'brovey', state: 'done', finishedAt: 't1', panPath: '/data/x_pan.tif' },
    { outPath: join(ud, 'runs', 'failed.tif'), method: 'gsa', state: 'failed', finishedAt: 't0' },
  ];
  const u = storage(ud).usage(listed, [join(ud, 'runs', 'b.tif')]);
  assert.equal(u.runsBytes, 150);
  assert.equal(u.cacheBytes, 25);
  assert.deepEqual(u.runs, [
    { outPath: join(ud, 'runs', 'a.tif'), method: 'brovey', panPath: '/data/x_pan.tif', state: 'done', finishedAt: 't1', sizeBytes: 110, inUse: false },
  ]);
  assert.equal(u.cacheMaxAgeDays, 30);
  // A missing user-data folder (first start) is empty, not an error.
  assert.deepEqual(storage(join(root, 'never-made')).sweep({ runs: [], inUse: [] }), []);
  assert.throws(() => storage(ud, { cacheMaxAgeDays: 0 }), /cacheMaxAgeDays must be > 0/);
});
