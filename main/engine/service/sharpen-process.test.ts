// sharpen() in a child process: result and events as in-process, errors keep their class, cancel leaves nothing,
// and a killed child fails the job with a clear engine-crashed error and no output file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CancelledError, EngineCrashedError, InputError } from '../errors.ts';
import { writeSyntheticScene, type SyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { sharpenInChild } from './sharpen-process.ts';

const root = tempFolder('sharpen-process');
let scene: SyntheticScene;
let n = 0;
const outFolder = () => {
  const dir = join(root, `run-${n++}`);
  mkdirSync(dir);
  return dir;
};

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 1024, panHeight: 1024 });
});

test('a job in a child: same result, progress events forwarded', async () => {
  const folder = outFolder();
  const progress: number[] = [];
  const result = await sharpenInChild(
    { ...scene, method: 'exp', outPath: join(folder, 'out.tif'), tileSizePx: 256 },
    { onEvent: (e) => e.type === 'progress' && progress.push(e.tilesDone) },
  );
  assert.equal(result.tiles, 16);
  assert.deepEqual(
    progress,
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  assert.deepEqual(readdirSync(folder), ['out.tif']);
});

test('bad input in the child arrives as the same InputError', async () => {
  await assert.rejects(
    sharpenInChild({ panPath: join(root, 'missing.tif'), msPath: scene.msPath, method: 'exp', outPath: join(outFolder(), 'out.tif') }),
    (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.code, 'file-not-found');
      return true;
    },
  );
});

test('cancel: the child stops, CancelledError, no file left', async () => {
  const folder = outFolder();
  const controller = new AbortController();
  await assert.rejects(
    sharpenInChild(
      { ...scene, method: 'exp', outPath: join(folder, 'out.tif'), tileSizePx: 64 },
      { signal: controller.signal, onEvent: (e) => e.type === 'progress' && e.tilesDone === 2 && controller.abort() },
    ),
    CancelledError,
  );
  assert.deepEqual(readdirSync(folder), []);
});

test('the child killed mid-job: engine-crashed error naming the exit, no output or partial file', async () => {
  const folder = outFolder();
  let pid = 0;
  await assert.rejects(
    sharpenInChild(
      { ...scene, method: 'exp', outPath: join(folder, 'out.tif'), tileSizePx: 64 },
      { onEvent: (e) => e.type === 'progress' && e.tilesDone === 3 && process.kill(pid, 'SIGKILL') },
      { onChild: (p) => (pid = p) },
    ),
    (err: unknown) => {
      assert.ok(err instanceof EngineCrashedError, String(err));
      assert.equal(err.code, 'engine-crashed');
      assert.match(err.message, /the engine process stopped unexpectedly \(killed by SIGKILL\) while sharpening into .*out\.tif; no output was kept/);
      return true;
    },
  );
  assert.ok(pid > 0);
  assert.ok(!existsSync(join(folder, 'out.tif')));
  assert.deepEqual(readdirSync(folder), [], 'the partial file is removed by the parent');
});
