import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RequestError } from '../errors.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { isPartialName, partialPathFor, refuseOutputOverInputs, removeOwnPartials, sweepStalePartials, writeFailure } from './output-path.ts';

const root = tempFolder('output-path');

test('partial names carry the writer pid and are recognised as partial', () => {
  const p = partialPathFor('/a/b/out.tif', 'partial', 1234);
  assert.equal(p, '/a/b/out.panforge-1234.partial.tif');
  assert.ok(isPartialName('out.panforge-1234.partial.tif'));
  assert.equal(partialPathFor('/a/out.tif', 'partial-cog', 7), '/a/out.panforge-7.partial-cog.tif');
});

test('the sweep removes stale partials of ours only: dead pid, exact shape, regular file', () => {
  const dir = join(root, 'sweep');
  mkdirSync(dir);
  const stale = ['out.panforge-999999999.partial.tif', 'out.panforge-999999998.partial-cog.tif'];
  const keep = ['out.partial.tif', `live.panforge-${process.pid}.partial.tif`, 'out.tif', 'panforge-999999999.partial.tif.txt', 'x.panforge-abc.partial.tif'];
  for (const n of [...stale, ...keep]) writeFileSync(join(dir, n), 'x');
  mkdirSync(join(dir, 'd.panforge-999999997.partial.tif'));
  const removed = sweepStalePartials(dir);
  assert.deepEqual(removed.sort(), stale.map((n) => join(dir, n)).sort());
  for (const n of keep) assert.ok(existsSync(join(dir, n)), n);
  assert.ok(existsSync(join(dir, 'd.panforge-999999997.partial.tif')), 'a folder is never removed');
  removeOwnPartials(dir);
  assert.ok(!existsSync(join(dir, `live.panforge-${process.pid}.partial.tif`)), 'our own partials go on a forced exit');
});

test('an output that is an input is refused through symlinks and hard links', () => {
  const dir = join(root, 'links');
  mkdirSync(dir);
  const input = join(dir, 'pan.tif');
  writeFileSync(input, 'pixels');
  symlinkSync(input, join(dir, 'sym.tif'));
  linkSync(input, join(dir, 'hard.tif'));
  symlinkSync(dir, join(root, 'alias'));
  for (const out of [input, join(dir, 'sym.tif'), join(dir, 'hard.tif'), join(root, 'alias', 'pan.tif')]) {
    assert.throws(() => refuseOutputOverInputs([out], [input]), RequestError, out);
  }
  refuseOutputOverInputs([join(dir, 'new.tif')], [input]);
  writeFileSync(join(dir, 'other.tif'), 'pixels');
  refuseOutputOverInputs([join(dir, 'other.tif')], [input]);
});

test('a write failure names the file, the errno and the free space', () => {
  const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const failure = writeFailure(join(root, 'x.tif'), err);
  assert.equal(failure.code, 'disk-full');
  assert.match(failure.message, /cannot write .*x\.tif: ENOSPC: no space left on device, write \(disk full\?\); [\d.]+ \w+ free on /);
});
