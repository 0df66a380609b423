import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../testing/temp-folder.ts';
import { writeFileAtomic } from './atomic-file.ts';

const root = tempFolder('atomic-file');

test('replaces the file whole and leaves no partial file beside it', () => {
  const path = join(root, 'report.json');
  writeFileAtomic(path, 'first');
  writeFileAtomic(path, 'second', `${path}.7.partial`);
  assert.equal(readFileSync(path, 'utf8'), 'second');
  assert.deepEqual(readdirSync(root), ['report.json']);
});

test('a failed rename removes the partial file and keeps the error', () => {
  const folder = join(root, 'blocked');
  const target = join(folder, 'taken');
  mkdirSync(target, { recursive: true }); // a folder under the final name: the rename fails
  assert.throws(() => writeFileAtomic(target, 'x'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.deepEqual(readdirSync(folder), ['taken']);
});
