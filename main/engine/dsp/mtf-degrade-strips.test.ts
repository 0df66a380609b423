// Wald degradation in strips == mtfDegrade on the whole image, NaN spreading included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BandBlock } from '../raster/band-block.ts';
import { mtfDegrade } from './mtf-degrade.ts';
import { mtfDegradeStrips } from './mtf-degrade-strips.ts';
import { mtfKernels } from './mtf-kernel.ts';

test('mtfDegradeStrips == mtfDegrade, 2 bands, strips of 5 output rows, one NaN', async () => {
  const bands = 2;
  const width = 96;
  const height = 120;
  const data = new Float64Array(bands * width * height);
  for (let i = 0; i < data.length; i++) data[i] = 500 + 200 * Math.sin(i * 0.013) + (i % 29) * 3;
  data[70 * width + 33] = NaN;
  const block: BandBlock<Float64Array> = { bands, width, height, data };
  const whole = mtfDegrade(block, [0.3, 0.25], 4);
  const got = new Float64Array(whole.data.length);
  const outW = width / 4;
  const outH = height / 4;
  await mtfDegradeStrips({
    width,
    height,
    bands,
    ratio: 4,
    kernels: mtfKernels([0.3, 0.25], bands, 4),
    stripRows: 5,
    readRows: async (r0, r1) => {
      const rows = r1 - r0;
      const out = new Float64Array(bands * width * rows);
      for (let b = 0; b < bands; b++) out.set(data.subarray((b * height + r0) * width, (b * height + r1) * width), b * width * rows);
      return { bands, width, height: rows, data: out };
    },
    writeRows: async (row0, strip) => {
      for (let b = 0; b < bands; b++) got.set(strip.data.subarray(b * outW * strip.height, (b + 1) * outW * strip.height), (b * outH + row0) * outW);
    },
  });
  assert.ok(whole.data.some(Number.isNaN), 'the NaN reaches some outputs');
  assert.deepEqual(got, whole.data);
});
