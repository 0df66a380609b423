import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upsampleBicubic } from './bicubic.ts';

test('a constant image stays constant', () => {
  const out = upsampleBicubic({ bands: 2, width: 5, height: 3, data: new Float32Array(30).fill(7) }, 4);
  assert.equal(out.width, 20);
  assert.equal(out.height, 12);
  assert.ok(out.data.every((v) => Math.abs(v - 7) < 1e-5));
});

test('a linear ramp is reproduced away from the borders (Keys cubic is exact for linear data)', () => {
  const width = 8;
  const data = new Float32Array(width * 4);
  for (let r = 0; r < 4; r++) for (let c = 0; c < width; c++) data[r * width + c] = 10 * c;
  const out = upsampleBicubic({ bands: 1, width, height: 4, data }, 4);
  for (let k = 8; k < 24; k++) {
    const u = (k + 0.5) / 4 - 0.5;
    assert.ok(Math.abs(out.data[out.width + k]! - 10 * u) < 1e-3, `sample ${k}`);
  }
});

test('MATLAB imresize(x, 4) phase: the 4x4 block of output pixels around input pixel 2 averages to it on a ramp', () => {
  const data = Float32Array.from([0, 4, 8, 12, 16, 20]);
  const out = upsampleBicubic({ bands: 1, width: 6, height: 1, data }, 4);
  const block = out.data.slice(8, 12);
  const mean = block.reduce((a, b) => a + b, 0) / 4;
  assert.ok(Math.abs(mean - 8) < 1e-4);
});
