import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { canonicalPath, PathAllowlist, PathNotAllowedError } from './path-allowlist.ts';

const root = tempFolder('allowlist');
const allowed = join(root, 'allowed');
const outside = join(root, 'outside');
mkdirSync(join(allowed, 'deep'), { recursive: true });
mkdirSync(outside);
for (const f of [join(allowed, 'a.tif'), join(allowed, 'deep', 'b.tif'), join(outside, 'secret.tif'), join(root, 'chosen.tif')]) writeFileSync(f, 'x');
symlinkSync(outside, join(allowed, 'escape'));

function list(): PathAllowlist {
  const l = new PathAllowlist({ what: 'scene file', hint: 'open it through the dialog' });
  l.allowFolder(allowed);
  l.allowFile(join(root, 'chosen.tif'));
  return l;
}

test('files below an allowed folder and chosen files are allowed', () => {
  const l = list();
  assert.equal(l.allows(join(allowed, 'a.tif')), true);
  assert.equal(l.allows(join(allowed, 'deep', 'b.tif')), true);
  assert.equal(l.allows(join(root, 'chosen.tif')), true);
  assert.equal(l.check(join(allowed, 'deep', '..', 'a.tif')), canonicalPath(join(allowed, 'a.tif')));
});

test('traversal, symlink escapes, siblings, relative paths and the folder itself are refused', () => {
  const l = list();
  for (const p of [
    join(allowed, '..', 'outside', 'secret.tif'),
    join(allowed, 'escape', 'secret.tif'),
    join(outside, 'secret.tif'),
    join(root, 'allowed-twin.tif'),
    `${allowed}x/a.tif`,
    'allowed/a.tif',
    allowed,
    '/etc/passwd',
  ]) {
    assert.equal(l.allows(p), false, p);
  }
  assert.throws(
    () => l.check(join(outside, 'secret.tif')),
    (err: unknown) =>
      err instanceof PathNotAllowedError &&
      err.code === 'path-not-allowed' &&
      /scene file ".*secret\.tif" is not a file you chose; open it through the dialog/.test(err.message),
  );
});

test('a not-yet-existing file resolves through its existing folder, symlinks included', () => {
  const l = new PathAllowlist({ what: 'export path', hint: 'choose it with the save dialog' });
  l.allowFolder(allowed);
  assert.equal(l.check(join(allowed, 'new.tif')), join(canonicalPath(allowed), 'new.tif'));
  assert.equal(l.allows(join(allowed, 'escape', 'new.tif')), false);
  assert.equal(l.allows(join(allowed, 'missing', 'sub', 'new.tif')), true);
});
