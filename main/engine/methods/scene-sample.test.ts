// The statistics sample must not depend on how the MS is stored: with an MS larger than the sample grid, a
// reduced-size GDAL read is served from the file's overviews when it has some, and GSA's output changed with them
// (up to 357 DN on a real 16-bit scene). The sample now decimates full-resolution pixels itself.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gdal } from '../io/gdal.ts';
import { openScene } from '../io/open-scene.ts';
import { sharpen } from '../jobs/sharpen.ts';
import { writeSyntheticScene, type SyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { readSceneSample } from './scene-sample.ts';

const root = tempFolder('scene-sample');
let scene: SyntheticScene;
let msWithOverviews: string;

before(async () => {
  // MS 1040² (> 1024², so the 512-cell sample decimates by ~2), PAN 4160².
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 4160, panHeight: 4160 });
  msWithOverviews = join(root, 'ms_with_overviews.tif');
  copyFileSync(scene.msPath, msWithOverviews);
  const ds = await gdal.openAsync(msWithOverviews, 'r+');
  // Overviews that differ visibly from decimated pixels: averaged, and then scribbled on, so any read served
  // from them changes the statistics.
  await ds.buildOverviewsAsync('AVERAGE', [2, 4]);
  ds.close();
  const again = await gdal.openAsync(msWithOverviews, 'r+');
  for (let b = 1; b <= again.bands.count(); b++) {
    const ov = again.bands.get(b).overviews.get(0);
    const w = ov.size.x;
    const h = ov.size.y;
    ov.pixels.write(0, 0, w, h, new Uint16Array(w * h).fill(1500 + 100 * b));
  }
  again.close();
});

test('the sample reads full-resolution pixels: identical with and without MS overviews', async () => {
  const plain = await openScene({ panPath: scene.panPath, msPath: scene.msPath });
  const withOv = await openScene({ panPath: scene.panPath, msPath: msWithOverviews });
  try {
    assert.ok(withOv.msDataset.bands.get(1).overviews.count() >= 2, 'the copy has overviews');
    const a = await readSceneSample(plain);
    const b = await readSceneSample(withOv);
    assert.equal(a.ms.width, 512, 'the MS is decimated (1040 → 512 cells)');
    assert.deepEqual(Buffer.from(b.ms.data.buffer), Buffer.from(a.ms.data.buffer));
    assert.deepEqual(Buffer.from(b.panLow.data.buffer), Buffer.from(a.panLow.data.buffer));
    assert.deepEqual(Buffer.from(b.panPoints.data.buffer), Buffer.from(a.panPoints.data.buffer));
  } finally {
    plain.close();
    withOv.close();
  }
});

test('GSA output is bit-identical whether or not the MS file has overviews', async () => {
  const window = { colOff: 1024, rowOff: 1024, width: 512, height: 512 };
  const outA = join(root, 'gsa_plain.tif');
  const outB = join(root, 'gsa_overviews.tif');
  await sharpen({ panPath: scene.panPath, msPath: scene.msPath, method: 'gsa', outPath: outA, window, compression: 'NONE' });
  await sharpen({ panPath: scene.panPath, msPath: msWithOverviews, method: 'gsa', outPath: outB, window, compression: 'NONE' });
  const pixels = (path: string) => {
    const ds = gdal.open(path);
    const bands = Array.from({ length: ds.bands.count() }, (_, i) => Buffer.from(ds.bands.get(i + 1).pixels.read(0, 0, 512, 512).buffer));
    ds.close();
    return Buffer.concat(bands);
  };
  assert.ok(pixels(outA).equals(pixels(outB)), 'same pixels, bit for bit');
  assert.ok(readFileSync(outA).length > 0);
});
