// Near-integer PAN/MS ratios: resampled onto the exact grid within 2 % (same pixel counts), refused with a way forward beyond.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../errors.ts';
import { sharpen } from '../jobs/sharpen.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { gdal } from './gdal.ts';
import { openScene } from './open-scene.ts';

const root = tempFolder('open-scene-ratio');

test('0.498 m PAN with 2.0 m MS and 4:1 pixel counts: ratio 4 on a resampled MS grid, and the user is told', async () => {
  const files = await writeSyntheticScene({ folder: join(root, 'near'), name: 'near', panWidth: 160, panHeight: 128, panPixelM: 0.498, msPixelM: 2.0 });
  const scene = await openScene(files);
  try {
    assert.equal(scene.ratio, 4);
    assert.match(scene.notes.join(' '), /pixel size 2 is 4\.0161 PAN pixels .*not exactly 4; it is resampled \(cubic\) onto a \d+×\d+ grid aligned with PAN/);
    const gt = scene.msDataset.geoTransform!;
    assert.ok(Math.abs(gt[1]! - 0.498 * 4) < 1e-9, `MS step ${gt[1]}`);
    assert.ok(scene.region.width >= 150 && scene.region.width % 4 === 0);
  } finally {
    scene.close();
  }
  // The sharpen job (and so the CLI) takes the same path.
  const result = await sharpen({ ...files, method: 'gsa', outPath: join(root, 'near', 'gsa.tif') });
  const ds = await gdal.openAsync(result.outPath);
  assert.equal(ds.geoTransform![1], 0.498);
  ds.close();
});

test('a ratio 3 % off an integer is refused with the gdalwarp command that fixes it', async () => {
  const files = await writeSyntheticScene({ folder: join(root, 'far'), name: 'far', panWidth: 160, panHeight: 128, panPixelM: 0.5, msPixelM: 2.06 });
  await assert.rejects(openScene(files), (err: unknown) => {
    assert.ok(err instanceof InputError && err.code === 'ratio-not-integer', String(err));
    assert.match(err.message, /ratio is 4\.12 .*within 2 %.*gdalwarp -tr 2 2 -r cubic far_ms\.tif/);
    return true;
  });
});

test('within 2 % but pixel counts not in the ratio: refused (not the same footprint)', async () => {
  const files = await writeSyntheticScene({
    folder: join(root, 'counts'),
    name: 'counts',
    panWidth: 160,
    panHeight: 128,
    ratio: 5,
    panPixelM: 0.5,
    msPixelM: 2.01,
  });
  await assert.rejects(openScene(files), /ratio-not-integer|ratio is 4\.02/);
});
