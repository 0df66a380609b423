import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatProgress, progressFraction } from './progress-format.ts';

const p = {
  stage: 'fuse',
  tilesDone: 12,
  tilesTotal: 25,
  megapixelsDone: 3,
  megapixelsTotal: 6.5,
  megapixelsPerSecond: 3.456,
  etaSeconds: 75,
  elapsedMs: 4200,
};

test('durations read naturally', () => {
  assert.equal(formatDuration(4.4), '4 s');
  assert.equal(formatDuration(75), '1 min 15 s');
  assert.equal(formatDuration(3 * 3600 + 5 * 60), '3 h 05 min');
  assert.equal(formatDuration(Number.NaN), '–');
});

test('progress line and fraction come from tiles, MP/s and ETA', () => {
  assert.equal(formatProgress(p), 'fuse · 12/25 tiles · 3.46 MP/s · ETA 1 min 15 s · 4 s elapsed');
  assert.equal(formatProgress({ ...p, tilesDone: 25, megapixelsPerSecond: 12.34 }), 'fuse · 25/25 tiles · 12.3 MP/s · 4 s elapsed');
  assert.equal(formatProgress(null), 'waiting');
  assert.equal(progressFraction(p), 0.48);
  assert.equal(progressFraction({ ...p, tilesTotal: 0 }), 0);
});
