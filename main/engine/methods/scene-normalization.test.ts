import assert from 'node:assert/strict';
import { test } from 'node:test';
import { destandardize, normalizationMetadata, sceneNormalization, standardizeMs, standardizePan } from './scene-normalization.ts';

const block = (bands: number, width: number, height: number, data: number[]) => ({ bands, width, height, data: Float32Array.from(data) });

test('statistics skip pixels that are nodata in any band or in the PAN sample', () => {
  // 2 bands × 4 pixels; pixel 1 is NaN in band 2, pixel 3 NaN in the PAN: only pixels 0 and 2 count
  const ms = block(2, 4, 1, [1, 100, 3, 7, 10, Number.NaN, 30, 40]);
  const panPoints = block(1, 4, 1, [5, 6, 9, Number.NaN]);
  const n = sceneNormalization({ ms, panPoints }, { centre: 0.25, spread: 0.1 });
  assert.deepEqual(n.msMean, [2, 20]);
  assert.deepEqual(n.msStd, [1, 10]);
  assert.equal(n.panMean, 7);
  assert.equal(n.panStd, 2);
});

test('a constant band gets std 1, and the transform round-trips with NaN kept', () => {
  const ms = block(1, 3, 1, [5, 5, 5]);
  const n = sceneNormalization({ ms, panPoints: block(1, 3, 1, [1, 2, 3]) }, { centre: 0.25, spread: 0.1 });
  assert.equal(n.msStd[0], 1);
  const out = new Float32Array(3);
  standardizeMs(n, block(1, 3, 1, [5, 6, Number.NaN]), out, 0);
  assert.ok(Math.abs(out[0]! - 0.25) < 1e-7 && Math.abs(out[1]! - 0.35) < 1e-6 && Number.isNaN(out[2]!));
  const back = destandardize(n, out, 0, 1, 3, 100);
  assert.ok(Math.abs(back[0]! - 5) < 1e-5 && Math.abs(back[1]! - 6) < 1e-5 && Number.isNaN(back[2]!));
  const pan = new Float32Array(2);
  standardizePan(n, block(1, 2, 1, [2, 3]), pan, 0);
  assert.ok(Math.abs(pan[0]! - 0.25) < 1e-7);
});

test('de-standardised values are clamped to the data range', () => {
  const n = sceneNormalization({ ms: block(1, 2, 1, [0, 100]), panPoints: block(1, 2, 1, [0, 1]) }, { centre: 0.25, spread: 0.1 });
  const out = destandardize(n, Float32Array.from([-5, 5]), 0, 1, 2, 2047);
  assert.deepEqual(Array.from(out), [0, 2047]);
});

test('an empty sample is an error, and the parameters are recorded as metadata', () => {
  assert.throws(
    () => sceneNormalization({ ms: block(1, 1, 1, [Number.NaN]), panPoints: block(1, 1, 1, [1]) }, { centre: 0.25, spread: 0.1 }),
    /no pixel valid/,
  );
  const md = normalizationMetadata(sceneNormalization({ ms: block(1, 2, 1, [1, 3]), panPoints: block(1, 2, 1, [0, 2]) }, { centre: 0.25, spread: 0.1 }));
  assert.equal(md.PANFORGE_VALUE_SCALE, 'sceneStandardize');
  assert.equal(md.PANFORGE_NORM_MS_MEAN, '2.000000000');
});
