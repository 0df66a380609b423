import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OutputError, RequestError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { exportArgs, exportRaster } from './export-raster.ts';

const folder = tempFolder('export');

test('exportArgs turns 0-based band indexes into GDAL band numbers and an extent into -projwin', () => {
  const args = exportArgs({ sourcePath: 's', outPath: 'o', bandIndexes: [2, 0], extent: [10, 20, 30, 40], dataType: 'Float32' }, 4);
  assert.deepEqual(args.slice(args.indexOf('-ot')), ['-ot', 'Float32', '-b', '3', '-b', '1', '-projwin', '10', '40', '30', '20']);
  assert.throws(() => exportArgs({ sourcePath: 's', outPath: 'o', bandIndexes: [4] }, 4), OutputError);
});

test("a Byte export maps each chosen band's display range to 0–255, per output band in the chosen order", () => {
  const ranges: [number, number][] = [
    [10, 20],
    [30, 40],
    [50, 60],
    [70, 80],
  ];
  const args = exportArgs({ sourcePath: 's', outPath: 'o', bandIndexes: [2, 0], dataType: 'Byte', byteRanges: ranges, byteScaleMax: 2047 }, 4);
  assert.deepEqual(args.slice(args.indexOf('-ot')), [
    '-ot',
    'Byte',
    '-scale_1',
    '50',
    '60',
    '0',
    '255',
    '-scale_2',
    '10',
    '20',
    '0',
    '255',
    '-b',
    '3',
    '-b',
    '1',
  ]);
  const all = exportArgs({ sourcePath: 's', outPath: 'o', dataType: 'Byte', byteScaleMax: 2047 }, 2);
  assert.deepEqual(all.slice(all.indexOf('-ot')), ['-ot', 'Byte', '-scale', '0', '2047', '0', '255']);
});

test('exportRaster writes a COG subset with the chosen bands, type and extent, and keeps the georeference', async () => {
  const scene = await writeSyntheticScene({ folder, panWidth: 256, panHeight: 256, bands: 4 });
  const ms = gdal.open(scene.msPath);
  const gt = ms.geoTransform!;
  const crs = ms.srs!.toWKT();
  ms.close();
  const extent: [number, number, number, number] = [gt[0]! + 8 * gt[1]!, gt[3]! + 40 * gt[5]!, gt[0]! + 40 * gt[1]!, gt[3]! + 8 * gt[5]!];
  const outPath = join(folder, 'subset.tif');
  const result = await exportRaster({
    sourcePath: scene.msPath,
    outPath,
    format: 'COG',
    dataType: 'Float32',
    compression: 'DEFLATE',
    bandIndexes: [3, 2, 1],
    extent,
  });
  assert.deepEqual([result.width, result.height, result.bandCount, result.dataType], [32, 32, 3, 'Float32']);
  const out = gdal.open(outPath);
  assert.equal(out.driver.description, 'GTiff');
  assert.equal(out.getMetadata('IMAGE_STRUCTURE').LAYOUT, 'COG');
  assert.ok(out.srs!.isSame(gdal.SpatialReference.fromWKT(crs)));
  assert.deepEqual(
    out.geoTransform!.map((v) => +v.toFixed(6)),
    [extent[0], gt[1], 0, extent[3], 0, gt[5]].map((v) => +v!.toFixed(6)),
  );
  assert.equal(out.bands.get(1).description, 'NIR');
  out.close();
  assert.deepEqual(
    readdirSync(folder).filter((f) => f.includes('partial')),
    [],
  );
});

test('exportRaster refuses to overwrite and leaves no partial file', async () => {
  const scene = await writeSyntheticScene({ folder, name: 'again', panWidth: 64, panHeight: 64 });
  await assert.rejects(
    exportRaster({ sourcePath: scene.msPath, outPath: scene.panPath }),
    (e: unknown) => e instanceof OutputError && e.code === 'output-exists',
  );
  assert.ok(existsSync(scene.panPath));
});

test('an export onto its own source (or a link to it) is refused and the source is untouched', async () => {
  const dir = join(folder, 'self');
  mkdirSync(dir);
  const scene = await writeSyntheticScene({ folder: dir, panWidth: 64, panHeight: 64 });
  const before = readFileSync(scene.msPath);
  symlinkSync(scene.msPath, join(dir, 'link.tif'));
  for (const outPath of [scene.msPath, join(dir, 'link.tif')]) {
    await assert.rejects(exportRaster({ sourcePath: scene.msPath, outPath, overwrite: true }), (err: unknown) => {
      assert.ok(err instanceof RequestError, String(err));
      assert.equal(err.code, 'output-is-input');
      return true;
    });
  }
  assert.ok(readFileSync(scene.msPath).equals(before));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('partial')),
    [],
  );
});
