import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { RecentStore } from './recent-store.ts';

const dir = tempFolder('recent');

test('scenes and runs persist across instances, newest first, deduplicated and capped', () => {
  const file = join(dir, 'a', 'recent.json');
  const store = new RecentStore({ file, maxScenes: 2 });
  store.addScene({ panPath: '/d/1_pan.tif', msPath: '/d/1_ms.tif' });
  store.addScene({ panPath: '/d/2_pan.tif', msPath: '/d/2_ms.tif' });
  store.addScene({ panPath: '/d/1_pan.tif', msPath: '/d/1_ms.tif' });
  store.addScene({ panPath: '/d/3_pan.tif', msPath: '/d/3_ms.tif' });
  store.addRun({ method: 'brovey', panPath: '/d/1_pan.tif', outPath: '/runs/x.tif', state: 'done', elapsedMs: 12 });
  const again = new RecentStore({ file }).get();
  assert.deepEqual(
    again.scenes.map((s) => s.panPath),
    ['/d/3_pan.tif', '/d/1_pan.tif'],
  );
  assert.equal(again.runs.length, 1);
  assert.equal(again.runs[0]!.outPath, '/runs/x.tif');
  assert.ok(!Number.isNaN(Date.parse(again.runs[0]!.finishedAt)));
  assert.deepEqual(readdirSync(join(dir, 'a')), ['recent.json'], 'no temporary file left behind');
  assert.equal(store.loadedFromFile, false, 'there was no file when it started');
  assert.equal(new RecentStore({ file }).loadedFromFile, true);
});

test('removeRuns drops matching runs and saves; no match saves nothing', () => {
  const file = join(dir, 'rm', 'recent.json');
  const store = new RecentStore({ file });
  store.addRun({ method: 'brovey', panPath: '/p.tif', outPath: '/runs/a.tif', state: 'done', elapsedMs: 1 });
  store.addRun({ method: 'gsa', panPath: '/p.tif', outPath: '/runs/b.tif', state: 'done', elapsedMs: 1 });
  assert.equal(
    store.removeRuns((r) => r.outPath === '/runs/a.tif'),
    1,
  );
  assert.deepEqual(
    new RecentStore({ file }).get().runs.map((r) => r.outPath),
    ['/runs/b.tif'],
  );
  assert.equal(
    store.removeRuns(() => false),
    0,
  );
});

test('a damaged file is set aside with a log line, and the store starts empty', () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, '{"scenes": [{"panPath": 3}]');
  const logs: string[] = [];
  const store = new RecentStore({ file, log: (m) => logs.push(m) });
  assert.deepEqual(store.get(), { scenes: [], runs: [] });
  assert.equal(store.loadedFromFile, false, "empty lists that say nothing about the user's runs");
  assert.match(logs[0] ?? '', /bad\.json is unreadable .*moved to .*bad\.json\.bad/);
  assert.ok(existsSync(`${file}.bad`));
  store.addScene({ panPath: '/p.tif', msPath: '/m.tif' });
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).scenes[0].panPath, '/p.tif');
});

test('an unwritable location logs and keeps the list in memory', () => {
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, '');
  const logs: string[] = [];
  const store = new RecentStore({ file: join(blocker, 'recent.json'), log: (m) => logs.push(m) });
  store.addScene({ panPath: '/p.tif', msPath: '/m.tif' });
  assert.equal(store.get().scenes.length, 1);
  assert.match(logs[0] ?? '', /could not save the recent list/);
});
