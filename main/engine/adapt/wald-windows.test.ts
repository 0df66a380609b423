import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mtfDegrade } from '../dsp/mtf-degrade.ts';
import { nyquistGains } from '../dsp/sensor-mtf.ts';
import { GENERIC_PAN_NYQUIST_GAIN } from '../dsp/sensor-mtf.ts';
import { gdal } from '../io/gdal.ts';
import { openScene } from '../io/open-scene.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { readWaldWindows } from './wald-windows.ts';

const root = tempFolder('wald-windows');

async function readWhole(path: string): Promise<BandBlock<Float64Array>> {
  const ds = await gdal.openAsync(path);
  const { x: width, y: height } = ds.rasterSize;
  const bands = ds.bands.count();
  const data = new Float64Array(bands * width * height);
  for (let b = 0; b < bands; b++)
    await ds.bands.get(b + 1).pixels.readAsync(0, 0, width, height, data.subarray(b * width * height, (b + 1) * width * height), { data_type: 'Float64' });
  ds.close();
  return { bands, width, height, data };
}

function maxDiffAt(whole: BandBlock<Float64Array>, window: BandBlock, col: number, row: number): number {
  let max = 0;
  for (let b = 0; b < window.bands; b++) {
    for (let r = 0; r < window.height; r++) {
      for (let c = 0; c < window.width; c++) {
        const a = whole.data[(b * whole.height + row + r) * whole.width + col + c]!;
        max = Math.max(max, Math.abs(a - window.data[(b * window.height + r) * window.width + c]!));
      }
    }
  }
  return max;
}

test('a Wald window is the same degraded pair as degrading the whole scene (filters, gains and sample phase)', async () => {
  const files = await writeSyntheticScene({ folder: root, panWidth: 768, panHeight: 768, sensor: 'IKONOS' });
  const scene = await openScene(files);
  try {
    const set = await readWaldWindows({ scene, sample: await readSceneSample(scene), seed: 1 });
    assert.equal(set.sensor.name, 'IKONOS');
    assert.equal(set.fit.length + set.guard.length, 4, 'a 192² MS scene offers four 96² windows');
    const pan = mtfDegrade(await readWhole(files.panPath), [GENERIC_PAN_NYQUIST_GAIN], 4);
    const msWhole = await readWhole(files.msPath);
    const ms = mtfDegrade(msWhole, nyquistGains('IKONOS', 4), 4);
    // The window away from every scene edge has real pixels under its whole filter support: equal up to Float32.
    const inner = [...set.fit, ...set.guard].find((w) => w.msCol === 64 && w.msRow === 64);
    assert.ok(inner, 'the inner window was drawn');
    assert.ok(maxDiffAt(pan, inner.pan, 64, 64) < 0.01, 'degraded PAN');
    assert.ok(maxDiffAt(ms, inner.ms, 16, 16) < 0.01, 'degraded MS');
    assert.equal(maxDiffAt(msWhole, inner.reference, 64, 64), 0, 'the reference is the original MS');
  } finally {
    scene.close();
  }
});
