// Sensor and band names: read, guessed (and marked so), or set by the user; the same through openScene, info and sharpen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import { sharpen } from '../jobs/sharpen.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { applyBandLayout, inferBandLayout, sensorName } from './band-layout.ts';
import { gdal } from './gdal.ts';
import { openScene } from './open-scene.ts';
import type { RasterInfo } from './raster-info.ts';

const root = tempFolder('band-layout');
const repo = fileURLToPath(new URL('../../..', import.meta.url));

function msInfo(descriptions: string[], colorInterp: (string | null)[] = [], sensor: string | null = null): RasterInfo {
  return {
    path: '/x/ms.tif',
    driver: 'GTiff',
    width: 4,
    height: 4,
    bandCount: descriptions.length,
    dataType: 'UInt16',
    crs: null,
    geoTransform: null,
    bands: descriptions.map((description, i) => ({
      bandNumber: i + 1,
      description,
      colorInterp: colorInterp[i] ?? null,
      noData: null,
      blockSizePx: { width: 4, height: 4 },
    })),
    declaredBitDepth: null,
    sensor,
    metadata: {},
  };
}
const pan = msInfo(['Pan']);

test('product codes name their sensor', () => {
  const sensors = { WV03: 'WorldView-3', GE01: 'GeoEye-1', QB02: 'QuickBird', LC09: 'Landsat-8/9', 'Sentinel-2A': 'Sentinel-2A' };
  for (const [code, name] of Object.entries(sensors)) assert.equal(sensorName(code), name, code);
});

test('names come from descriptions, else ColorInterp (3–4 bands), else the band count, marked as guesses', () => {
  assert.deepEqual(inferBandLayout(msInfo(['Blue', 'Green', 'Red', 'NIR']), pan), {
    sensor: null,
    sensorSource: 'none',
    bandNames: ['Blue', 'Green', 'Red', 'NIR'],
    bandSource: 'descriptions',
    bandsGuessed: false,
  });
  const rgb = inferBandLayout(msInfo(['', '', '', ''], ['Red', 'Green', 'Blue', 'Undefined']), pan);
  assert.deepEqual([rgb.bandNames, rgb.bandSource, rgb.bandsGuessed], [['Red', 'Green', 'Blue', 'NIR'], 'color-interp', true]);
  // An 8-band file tagged RGB (a TIFF artefact) is not read as RGB: the band count says WorldView order.
  const eight = inferBandLayout(msInfo(Array(8).fill('Band 1'), ['Red', 'Green', 'Blue'], 'WV03'), pan);
  assert.deepEqual([eight.sensor, eight.bandNames[4], eight.bandSource, eight.bandsGuessed], ['WorldView-3', 'Red', 'band-count', true]);
  assert.deepEqual(inferBandLayout(msInfo(['', '', '', '', '']), pan).bandNames, ['Band 1', 'Band 2', 'Band 3', 'Band 4', 'Band 5']);
});

test('user choices win: names, a preset (with its sensor), a sensor alone; a wrong count is refused with the presets that fit', () => {
  const inferred = inferBandLayout(msInfo(Array(8).fill('')), pan);
  const wv3 = applyBandLayout(inferred, { bands: 'worldview-3' }, { path: '/x/ms.tif', bandCount: 8 });
  assert.deepEqual([wv3.sensor, wv3.sensorSource, wv3.bandSource, wv3.bandsGuessed], ['WorldView-3', 'user', 'user', false]);
  const listed = applyBandLayout(
    inferBandLayout(msInfo(['', '', '', '']), pan),
    { bands: 'Red, Green, Blue, NIR', sensor: 'ge01' },
    { path: '/x/ms.tif', bandCount: 4 },
  );
  assert.deepEqual([listed.bandNames, listed.sensor], [['Red', 'Green', 'Blue', 'NIR'], 'GeoEye-1']);
  assert.throws(
    () => applyBandLayout(inferred, { bands: 'bgrn' }, { path: '/x/ms.tif', bandCount: 8 }),
    (e: unknown) =>
      e instanceof InputError &&
      e.code === 'band-names' &&
      /4 band name\(s\) given .* ms\.tif, which has 8 bands.*preset: worldview-3, worldview-2/.test(e.message),
  );
});

test('an 8-band scene without names or SENSOR: guessed WorldView order, told; --bands/--sensor name the output bands in sharpen and the CLI', async () => {
  const files = await writeSyntheticScene({
    folder: join(root, 'eight'),
    name: 'eight',
    panWidth: 64,
    panHeight: 64,
    bands: 8,
    bandNames: 'none',
    sensor: null,
  });
  const scene = await openScene(files);
  try {
    assert.equal(scene.sensor, null);
    assert.equal(scene.bandDescriptions[4], 'Red');
    assert.match(scene.notes.join(' '), /MS band names guessed from the band count \(8\): Coastal, Blue/);
  } finally {
    scene.close();
  }
  const result = await sharpen({ ...files, method: 'brovey', outPath: join(root, 'eight', 'named.tif'), layout: { bands: 'worldview-2' } });
  const ds = await gdal.openAsync(result.outPath);
  assert.deepEqual(
    Array.from({ length: 8 }, (_, i) => ds.bands.get(i + 1).description),
    ['Coastal', 'Blue', 'Green', 'Yellow', 'Red', 'RedEdge', 'NIR1', 'NIR2'],
  );
  assert.equal(ds.getMetadata().PANFORGE_SENSOR, 'WorldView-2');
  ds.close();
  const info = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(repo, 'main/cli/index.ts'), 'info', '--pan', files.panPath, '--ms', files.msPath, '--sensor', 'WV03', '--json'],
    { cwd: repo, encoding: 'utf8' },
  );
  const report = JSON.parse(info) as { sensor: string; layout: { sensorSource: string; bandsGuessed: boolean } };
  assert.deepEqual([report.sensor, report.layout.sensorSource, report.layout.bandsGuessed], ['WorldView-3', 'user', true]);
});
