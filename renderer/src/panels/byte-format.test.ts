import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from './byte-format.ts';

test('sizes in binary units with three significant digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.00 KiB');
  assert.equal(formatBytes(1536 * 1024), '1.50 MiB');
  assert.equal(formatBytes(52.3 * 1024 ** 2), '52.3 MiB');
  assert.equal(formatBytes(8 * 1024 ** 3), '8.00 GiB');
  assert.equal(formatBytes(300 * 1024 ** 3), '300 GiB');
  assert.equal(formatBytes(3 * 1024 ** 5), '3072 TiB');
  assert.equal(formatBytes(-1), '–');
  assert.equal(formatBytes(Number.NaN), '–');
});
