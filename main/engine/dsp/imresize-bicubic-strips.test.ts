// imresize in strips of output rows == the whole-image imresize (same taps, same order).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imresizeBicubic } from './imresize-bicubic.ts';
import { imresizeBicubicStrips } from './imresize-bicubic-strips.ts';

test('imresizeBicubicStrips == imresizeBicubic(·, 1/4), strips of 3 rows', async () => {
  const width = 64;
  const height = 52;
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 300 + (i % 17) * 11;
  const whole = imresizeBicubic({ bands: 1, width, height, data }, 1 / 4);
  const reads: [number, number][] = [];
  const got = await imresizeBicubicStrips({
    width,
    height,
    scale: 1 / 4,
    stripRows: 3,
    readRows: async (r0, r1) => {
      reads.push([r0, r1]);
      return data.slice(r0 * width, r1 * width);
    },
  });
  assert.equal(got.width, whole.width);
  assert.equal(got.height, whole.height);
  assert.deepEqual(got.data, whole.data);
  assert.ok(
    reads.every(([r0, r1]) => r1 - r0 <= 3 * 4 + 18),
    `each strip reads only its taps: ${JSON.stringify(reads)}`,
  );
});
