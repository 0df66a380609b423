import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gdal } from '../io/gdal.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { pixelAt, pixelValues } from './pixel-values.ts';

test('pixelAt maps a point to its pixel and refuses points outside', () => {
  const gt = [1000, 2, 0, 5000, 0, -2];
  assert.deepEqual(pixelAt(gt, 10, 10, 1000.5, 4999.5), { col: 0, row: 0 });
  assert.deepEqual(pixelAt(gt, 10, 10, 1019.9, 4980.1), { col: 9, row: 9 });
  assert.equal(pixelAt(gt, 10, 10, 1020, 4990), null);
  assert.equal(pixelAt(gt, 10, 10, 999.9, 4990), null);
});

test('pixelValues reads every band at a map point, the same values GDAL reads', async () => {
  const scene = await writeSyntheticScene({ folder: tempFolder('pixel'), panWidth: 64, panHeight: 64, bands: 4 });
  const ds = gdal.open(scene.msPath);
  const gt = ds.geoTransform!;
  const x = gt[0]! + gt[1]! * 5.5;
  const y = gt[3]! + gt[5]! * 3.5;
  const expected = [1, 2, 3, 4].map((n) => ds.bands.get(n).pixels.get(5, 3));
  ds.close();
  assert.deepEqual(await pixelValues({ path: scene.msPath, x, y }), expected);
  assert.equal(await pixelValues({ path: scene.msPath, x: gt[0]! - 10, y }), null);
});
