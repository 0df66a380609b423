import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempFolder } from '../testing/temp-folder.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { bandStretch, rasterStretch } from './band-stretch.ts';

test('bandStretch takes the 2nd and 98th percentiles and skips nodata and NaN', () => {
  const values = Array.from({ length: 101 }, (_, i) => i); // 0..100
  const s = bandStretch([...values, -9999, Number.NaN], -9999);
  assert.deepEqual(s, { p2: 2, p98: 98, min: 0, max: 100 });
});

test('bandStretch widens a flat band so the stretch never divides by zero', () => {
  assert.deepEqual(bandStretch([7, 7, 7], null), { p2: 7, p98: 8, min: 7, max: 7 });
  assert.deepEqual(bandStretch([], null), { p2: 0, p98: 1, min: 0, max: 1 });
});

test('rasterStretch gives one stretch per band inside the data range', async () => {
  const scene = await writeSyntheticScene({ folder: tempFolder('stretch'), panWidth: 128, panHeight: 128, bands: 4 });
  const stats = await rasterStretch({ path: scene.msPath, sampleSizePx: 16 });
  assert.equal(stats.length, 4);
  for (const s of stats) {
    assert.ok(s.min <= s.p2 && s.p2 < s.p98 && s.p98 <= s.max, JSON.stringify(s));
    assert.ok(s.max <= 2047, `11-bit data, got max ${s.max}`);
  }
});
