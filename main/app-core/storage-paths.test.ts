import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { storageAreaDir, storageFile, storagePath } from './storage-paths.ts';

const root = tempFolder('storage-paths');
const ud = join(root, 'user-data');
mkdirSync(join(ud, 'runs'), { recursive: true });
mkdirSync(join(ud, 'cache'), { recursive: true });
writeFileSync(join(ud, 'runs', 'a.tif'), 'run');
writeFileSync(join(ud, 'recent.json'), '{}');
writeFileSync(join(root, 'secret.txt'), 'not yours');
symlinkSync(join(root, 'secret.txt'), join(ud, 'runs', 'link.tif'));
mkdirSync(join(ud, 'runs', 'sub'));
writeFileSync(join(ud, 'runs', 'sub', 'deep.tif'), 'x');

const refused = (fn: () => unknown, why: RegExp) =>
  assert.throws(fn, (err: Error & { code?: string }) => err.code === 'path-not-allowed' && why.test(err.message));

test('a plain file directly in runs/ is allowed, canonical', () => {
  assert.equal(storageFile(ud, 'runs', join(ud, 'runs', 'a.tif')), join(storageAreaDir(ud, 'runs'), 'a.tif'));
  // `..` that comes back into runs/ is still runs/a.tif.
  assert.equal(storageFile(ud, 'runs', join(ud, 'cache', '..', 'runs', 'a.tif')), join(storageAreaDir(ud, 'runs'), 'a.tif'));
  // A file that is gone is still a valid place (a run whose output was deleted by hand).
  assert.equal(storagePath(ud, 'runs', join(ud, 'runs', 'gone.tif')), join(storageAreaDir(ud, 'runs'), 'gone.tif'));
});

test('../ escapes, relative paths, subfolders and other areas are refused', () => {
  refused(() => storageFile(ud, 'runs', `${ud}/runs/../recent.json`), /only files directly in/);
  refused(() => storageFile(ud, 'runs', `${ud}/runs/../../secret.txt`), /only files directly in/);
  refused(() => storageFile(ud, 'runs', 'runs/a.tif'), /absolute path/);
  refused(() => storageFile(ud, 'runs', join(ud, 'runs', 'sub', 'deep.tif')), /only files directly in/);
  refused(() => storageFile(ud, 'runs', join(ud, 'runs', 'sub')), /not a plain file/);
  refused(() => storageFile(ud, 'cache', join(ud, 'runs', 'a.tif')), /only files directly in/);
  refused(() => storageFile(ud, 'runs', join(ud, 'nowhere', 'x.tif')), /folder does not exist/);
  refused(() => storageFile(ud, 'runs', join(ud, 'runs', 'missing.tif')), /does not exist/);
});

test('symlinks: a linked file is refused (its target is not ours), and so is a linked folder into runs/', () => {
  refused(() => storageFile(ud, 'runs', join(ud, 'runs', 'link.tif')), /not a plain file/);
  // A folder link inside runs/ that leads out: the file's real folder is not runs/.
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'precious.tif'), 'x');
  symlinkSync(join(root, 'outside'), join(ud, 'runs', 'evil'));
  refused(() => storageFile(ud, 'runs', join(ud, 'runs', 'evil', 'precious.tif')), /only files directly in/);
  // A link from elsewhere into runs/ reaches runs/ itself: the same files, so it is allowed.
  symlinkSync(join(ud, 'runs'), join(root, 'runs-alias'));
  assert.equal(storageFile(ud, 'runs', join(root, 'runs-alias', 'a.tif')), join(storageAreaDir(ud, 'runs'), 'a.tif'));
  // A runs/ that is itself a link out of user-data: nothing in it may be deleted.
  const ud2 = join(root, 'user-data-2');
  mkdirSync(ud2);
  symlinkSync(join(root, 'outside'), join(ud2, 'runs'));
  refused(() => storageFile(ud2, 'runs', join(ud2, 'runs', 'precious.tif')), /resolves to/);
});
