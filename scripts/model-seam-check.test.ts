import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seamDifference } from './model-seam-check.ts';

test('seam difference is relative to the untiled data range', () => {
  const untiled = Float32Array.from([0, 100, 200, 50]);
  const tiled = Float32Array.from([0, 101, 200, 50.5]);
  const d = seamDifference(tiled, untiled);
  assert.equal(d.maxAbsDiff, 1);
  assert.equal(d.dataRange, 200);
  assert.equal(d.maxRelToRange, 0.005);
  assert.equal(d.meanAbsDiff, 1.5 / 4);
});

test('a NaN in the tiled output is never hidden, and sizes must agree', () => {
  assert.ok(Number.isNaN(seamDifference(Float32Array.from([Number.NaN, 1]), Float32Array.from([0, 1])).maxAbsDiff));
  assert.throws(() => seamDifference(new Float32Array(2), new Float32Array(3)), /differ in size: 2 vs 3/);
});
