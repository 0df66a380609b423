import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OutputError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { GeoTiffWriter } from './geotiff-writer.ts';

const root = tempFolder('writer');
const base = {
  width: 4,
  height: 1,
  bandDescriptions: ['Red'],
  geoTransform: [500000, 2, 0, 4600000, 0, -2] as const,
  crsWkt: gdal.SpatialReference.fromEPSG(32633).toWKT(),
};

test('values outside the output type are clamped and counted; NaN becomes nodata', async () => {
  const path = join(root, 'byte.tif');
  const writer = await GeoTiffWriter.create({ ...base, path, dataType: 'Byte', noData: 0 });
  await writer.write({ colOff: 0, rowOff: 0, width: 4, height: 1 }, { bands: 1, width: 4, height: 1, data: Float32Array.from([-5, 300, NaN, 127.6]) });
  await writer.commit();
  assert.equal(writer.clampedPixels, 3);
  const ds = await gdal.openAsync(path);
  assert.deepEqual([...ds.bands.get(1).pixels.read(0, 0, 4, 1)], [0, 255, 0, 128]);
  assert.equal(ds.bands.get(1).description, 'Red');
  ds.close();
});

test('abort removes the partial file and never creates the target', async () => {
  const path = join(root, 'aborted', 'out.tif');
  (await import('node:fs')).mkdirSync(join(root, 'aborted'));
  const writer = await GeoTiffWriter.create({ ...base, path, dataType: 'UInt16', noData: null });
  assert.deepEqual(readdirSync(join(root, 'aborted')), [`out.panforge-${process.pid}.partial.tif`]);
  writer.abort();
  assert.deepEqual(readdirSync(join(root, 'aborted')), []);
});

test('refuses to overwrite unless asked', async () => {
  const path = join(root, 'twice.tif');
  const first = await GeoTiffWriter.create({ ...base, path, dataType: 'UInt16', noData: null });
  await first.commit();
  await assert.rejects(GeoTiffWriter.create({ ...base, path, dataType: 'UInt16', noData: null }), OutputError);
  const second = await GeoTiffWriter.create({ ...base, path, dataType: 'UInt16', noData: null, overwrite: true });
  await second.commit();
});
