import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { solveAugmented } from './linear-system.ts';

describe('solveAugmented', () => {
  it('solves a system whose first pivot is zero (row exchange needed)', () => {
    // 0x + 2y + z = 7, x + y + z = 6, 2x + y + 3z = 13  →  (1, 2, 3)
    const m = Float64Array.from([0, 2, 1, 7, 1, 1, 1, 6, 2, 1, 3, 13]);
    const x = solveAugmented(m, 3, [NaN, NaN, NaN]);
    assert.deepEqual(
      Array.from(x, (v) => Math.round(v * 1e12) / 1e12),
      [1, 2, 3],
    );
  });
  it('gives a singular unknown its fallback and solves the rest', () => {
    // y never appears: 2x = 4, 0 = 0, 3z = 9.
    const m = Float64Array.from([2, 0, 0, 4, 0, 0, 0, 0, 0, 0, 3, 9]);
    assert.deepEqual(Array.from(solveAugmented(m, 3, [0, -5, 0])), [2, -5, 3]);
  });
});
