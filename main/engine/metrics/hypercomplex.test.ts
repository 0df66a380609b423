import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOnionTable, onionMultiply, onionTable } from './hypercomplex.ts';
import { toUint16 } from './q2n.ts';

describe('onion product', () => {
  it('the table reproduces the literal recursion on random vectors (n = 1, 2, 4, 8)', () => {
    let s = 7;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    for (const n of [1, 2, 4, 8]) {
      const t = onionTable(n);
      for (let trial = 0; trial < 20; trial++) {
        const x = Array.from({ length: n }, rnd);
        const y = Array.from({ length: n }, rnd);
        const m = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = x[i]! * y[j]!;
        const out = new Float64Array(n);
        applyOnionTable(t, m, out);
        onionMultiply(x, y).forEach((v, k) => assert.ok(Math.abs(v - out[k]!) < 1e-14, `n=${n} k=${k}`));
      }
    }
  });
  it('n = 2 is the complex product; the toolbox recursion is not the textbook one (e0 ⊗ y ≠ y for n = 4)', () => {
    // The conjugations in onion_mult.m make e0 a left identity only up to signs; the published Q4/Q8 values use it.
    assert.deepEqual(onionMultiply([1, 0, 0, 0], [3, 4, 5, 6]), [3, 4, 5, -6]);
    assert.deepEqual(onionMultiply([1, 2], [3, 4]), [1 * 3 - 4 * 2, 1 * 4 + 3 * 2]);
  });
});

describe('MATLAB uint16 cast', () => {
  it('rounds half away from zero, saturates, maps NaN to 0', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 2.4999, -0.5, -3, 65534.5, 70000, NaN, Infinity, -Infinity].map(toUint16), [1, 2, 3, 2, 0, 0, 65535, 65535, 0, 65535, 0]);
  });
});
