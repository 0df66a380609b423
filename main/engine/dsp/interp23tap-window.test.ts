// A window of interp23tap with a wrapped halo equals the whole-image interp23tap, at the edges (where the circular
// border wraps) and inside.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BandBlock } from '../raster/band-block.ts';
import { interp23tap } from './interp23tap.ts';
import { gatherFromBlock, interp23tapWindow } from './interp23tap-window.ts';

function randomBlock(bands: number, height: number, width: number, seed: number): BandBlock<Float64Array> {
  let s = seed >>> 0;
  const data = new Float64Array(bands * width * height);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = 100 + (s / 2 ** 32) * 900;
  }
  return { bands, width, height, data };
}

for (const ratio of [2, 4]) {
  test(`interp23tapWindow == crop of interp23tap, ratio ${ratio}`, async () => {
    const lr = randomBlock(2, 23, 31, 5 + ratio);
    const whole = interp23tap(lr, ratio);
    const windows = [
      { colOff: 0, rowOff: 0, width: 7, height: 5 },
      { colOff: 24, rowOff: 18, width: 7, height: 5 },
      { colOff: 10, rowOff: 6, width: 12, height: 9 },
      { colOff: 0, rowOff: 0, width: 31, height: 23 },
    ];
    for (const window of windows) {
      const got = await interp23tapWindow({ gather: gatherFromBlock(lr), width: lr.width, height: lr.height, window, ratio });
      assert.equal(got.width, window.width * ratio);
      assert.equal(got.height, window.height * ratio);
      for (let b = 0; b < 2; b++) {
        for (let r = 0; r < got.height; r++) {
          for (let c = 0; c < got.width; c++) {
            const want = whole.data[(b * whole.height + window.rowOff * ratio + r) * whole.width + window.colOff * ratio + c]!;
            assert.equal(got.data[(b * got.height + r) * got.width + c], want, `window ${JSON.stringify(window)} band ${b} (${r}, ${c})`);
          }
        }
      }
    }
  });
}

test('interp23tapWindow rejects a window outside the image', async () => {
  const lr = randomBlock(1, 8, 8, 1);
  await assert.rejects(
    interp23tapWindow({ gather: gatherFromBlock(lr), width: 8, height: 8, window: { colOff: 4, rowOff: 0, width: 6, height: 2 }, ratio: 4 }),
    /leaves the 8×8 image/,
  );
});
