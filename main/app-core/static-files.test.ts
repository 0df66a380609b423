import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileTree } from '../engine/testing/file-tree.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { contentTypeFor, resolveStaticFile } from './static-files.ts';

const root = tempFolder('static');
const dist = join(root, 'dist');
writeFileTree(root, { 'dist/index.html': '<!doctype html>', 'dist/assets/app.js': '', 'secret.txt': 'no' });
symlinkSync(join(root, 'secret.txt'), join(dist, 'assets', 'link.txt'));

test('index and assets resolve inside the bundle folder', () => {
  assert.equal(resolveStaticFile(dist, '/'), join(dist, 'index.html'));
  assert.equal(resolveStaticFile(dist, '/index.html'), join(dist, 'index.html'));
  assert.equal(resolveStaticFile(dist, '/assets/app.js'), join(dist, 'assets', 'app.js'));
  assert.equal(resolveStaticFile(dist, '/assets/%61pp.js'), join(dist, 'assets', 'app.js'));
  assert.equal(contentTypeFor('/x/app.js'), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeFor('/x/blob.bin'), 'application/octet-stream');
});

test('traversal (plain, encoded, backslash, NUL), symlinks out, folders and missing files are refused', () => {
  for (const p of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2E%2E%2F..%2Fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/assets/link.txt',
    '/assets',
    '/missing.js',
    '/%E0%A4%A',
    'index.html',
    '/./index.html',
  ]) {
    assert.equal(resolveStaticFile(dist, p), null, p);
  }
  assert.equal(resolveStaticFile(join(root, 'no-dist'), '/'), null);
});
