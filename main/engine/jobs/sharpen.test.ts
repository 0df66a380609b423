import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, test } from 'node:test';
import { CancelledError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { sampleScenesMissing, sharedDataFolder } from '../testing/sample-scenes.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { sharpen } from './sharpen.ts';

const root = tempFolder('sharpen');
const data = sharedDataFolder();
let n = 0;
const out = (name = 'out.tif') => {
  const dir = join(root, `run-${n++}`);
  mkdirSync(dir);
  return join(dir, name);
};

before(() => {
  process.env.PANFORGE_MODELS_DIR = join(root, 'models');
  writeDummyModel(join(root, 'models'), 4);
});

async function readAll(path: string): Promise<{ width: number; height: number; bands: Float32Array[] }> {
  const ds = await gdal.openAsync(path);
  const { x: width, y: height } = ds.rasterSize;
  const bands: Float32Array[] = [];
  for (let b = 1; b <= ds.bands.count(); b++)
    bands.push(await ds.bands.get(b).pixels.readAsync(0, 0, width, height, new Float32Array(width * height), { data_type: 'Float32' }));
  ds.close();
  return { width, height, bands };
}

test('a real IKONOS scene → GeoTIFF with PAN grid, CRS, MS bands, type and provenance', { skip: sampleScenesMissing() }, async () => {
  const target = out();
  const result = await sharpen({
    panPath: join(data, 'ikonos_italy_pan.tif'),
    msPath: join(data, 'ikonos_italy_ms.tif'),
    method: 'dummynet',
    outPath: target,
    tileSizePx: 256,
  });
  assert.equal(result.tiles, 25);
  const ds = await gdal.openAsync(target);
  const pan = await gdal.openAsync(join(data, 'ikonos_italy_pan.tif'));
  assert.deepEqual(ds.rasterSize, { x: 1280, y: 1280 });
  assert.deepEqual(ds.geoTransform, pan.geoTransform);
  assert.ok(ds.srs?.isSame(pan.srs!));
  assert.equal(ds.bands.count(), 4);
  assert.deepEqual(
    ds.bands.map((b) => b.description),
    ['Blue', 'Green', 'Red', 'NIR'],
  );
  assert.equal(ds.bands.get(1).dataType, 'UInt16');
  const md = ds.getMetadata();
  assert.equal(md.PANFORGE_METHOD, 'dummynet');
  assert.match(md.PANFORGE_MODEL_SHA256, /^[0-9a-f]{64}$/);
  assert.equal(md.PANFORGE_PAN, 'ikonos_italy_pan.tif');
  assert.match(md.TIFFTAG_SOFTWARE, /^PanForge /);
  const structure = ds.getMetadata('IMAGE_STRUCTURE');
  assert.equal(structure.COMPRESSION, 'ZSTD');
  assert.equal(ds.bands.get(1).blockSize.x, 256, 'tiled');
  ds.close();
  pan.close();
  assert.deepEqual(readdirSync(join(target, '..')), ['out.tif'], 'no temporary file left');
});

test('tiled output equals the whole-image output away from the scene border (no seams)', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'seams'), panWidth: 320, panHeight: 256 });
  const tiled = out('tiled.tif');
  const whole = out('whole.tif');
  await sharpen({ ...scene, method: 'dummynet', outPath: tiled, tileSizePx: 64, dataType: 'Float32' });
  const r = await sharpen({ ...scene, method: 'dummynet', outPath: whole, tileSizePx: 4096, dataType: 'Float32' });
  assert.equal(r.tiles, 1);
  const a = await readAll(tiled);
  const b = await readAll(whole);
  const border = 8;
  let maxDiff = 0;
  for (let band = 0; band < 4; band++) {
    for (let row = border; row < a.height - border; row++) {
      for (let col = border; col < a.width - border; col++) {
        const i = row * a.width + col;
        maxDiff = Math.max(maxDiff, Math.abs(a.bands[band]![i]! - b.bands[band]![i]!));
      }
    }
  }
  assert.ok(maxDiff < 1e-3, `max |tiled − whole| = ${maxDiff}`);
});

test('--cog writes a Cloud Optimized GeoTIFF with overviews', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'cog'), panWidth: 1024, panHeight: 1024 });
  const target = out();
  await sharpen({ ...scene, method: 'exp', outPath: target, cog: true });
  const ds = await gdal.openAsync(target);
  assert.equal(ds.getMetadata('IMAGE_STRUCTURE').LAYOUT, 'COG');
  assert.ok(ds.bands.get(1).overviews.count() >= 1);
  ds.close();
  assert.deepEqual(readdirSync(join(target, '..')), ['out.tif']);
});

test('cancellation stops the job and leaves no file', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'cancel'), panWidth: 512, panHeight: 512 });
  const target = out();
  const controller = new AbortController();
  let progressEvents = 0;
  await assert.rejects(
    sharpen(
      { ...scene, method: 'exp', outPath: target, tileSizePx: 64 },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && ++progressEvents === 2) controller.abort();
        },
      },
    ),
    CancelledError,
  );
  assert.ok(progressEvents <= 4, `stopped within a tile or two (saw ${progressEvents} tiles)`);
  assert.deepEqual(readdirSync(join(target, '..')), []);
});

for (const bits of [8, 12, 14, 16]) {
  test(`${bits}-bit data: networks see DN / (2^${bits} − 1), results come back in DN`, async () => {
    const dataType = bits === 8 ? 'Byte' : 'UInt16';
    const scene = await writeSyntheticScene({ folder: join(root, `bits-${bits}`), panWidth: 128, panHeight: 128, dataType, bitDepth: bits });
    const target = out();
    const result = await sharpen({ ...scene, method: 'dummynet', outPath: target, dataType: 'Float32' });
    assert.equal(result.valueScale.valueMax, 2 ** bits - 1);
    const img = await readAll(target);
    const src = await readAll(scene.msPath);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    // The dummy network adds only high-pass PAN detail: band means are preserved in DN.
    for (let b = 0; b < 4; b++) assert.ok(Math.abs(mean(img.bands[b]!) - mean(src.bands[b]!)) < 0.02 * mean(src.bands[b]!), `band ${b}`);
  });
}

test('undeclared bit depth is inferred from the sampled maximum', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'undeclared'), panWidth: 64, panHeight: 64, bitDepth: null });
  const result = await sharpen({ ...scene, method: 'exp', outPath: out() });
  assert.equal(result.valueScale.source, 'sampled-maximum');
  assert.equal(result.valueScale.bitDepth, 16);
});

test('MS in another CRS is reprojected onto the PAN grid, and the user is told', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'crs'), panWidth: 256, panHeight: 256, epsg: 32633, msEpsg: 32634 });
  const logs: string[] = [];
  const result = await sharpen({ ...scene, method: 'exp', outPath: out() }, { onEvent: (e) => e.type === 'log' && logs.push(e.message) });
  assert.ok(
    logs.some((l) => /EPSG:32634.*warped VRT/.test(l)),
    logs.join('\n'),
  );
  const ds = await gdal.openAsync(result.outPath);
  assert.ok(ds.srs?.getAuthorityCode(null) === '32633');
  assert.ok(result.width > 200 && result.width <= 256);
  ds.close();
});

test('an MS shifted by 2 PAN pixels: output covers the intersection, on whole MS pixels', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'shift'), panWidth: 128, panHeight: 128, msOffsetPx: [2, 0] });
  const result = await sharpen({ ...scene, method: 'exp', outPath: out() });
  assert.equal(result.width, 124);
  assert.equal(result.height, 128);
  const ds = await gdal.openAsync(result.outPath);
  assert.equal(ds.geoTransform![0], 500000 + 2 * 0.5);
  ds.close();
});

test('nodata in the inputs stays nodata in the output', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'nodata'), panWidth: 128, panHeight: 128, noData: { value: 0, borderPx: 16 } });
  const result = await sharpen({ ...scene, method: 'exp', outPath: out() });
  const img = await readAll(result.outPath);
  const ds = await gdal.openAsync(result.outPath);
  assert.equal(ds.bands.get(1).noDataValue, 0);
  ds.close();
  for (let row = 0; row < 128; row += 17) {
    assert.equal(img.bands[0]![row * 128 + 3], 0);
    assert.ok(img.bands[0]![row * 128 + 60]! > 0);
  }
  assert.deepEqual(
    readdirSync(dirname(result.outPath)).filter((n) => n.includes('.partial')),
    [],
  );
});

test('a real scene: MTF-GLP tiled (256 px) equals the untiled run away from the border (no seams)', { skip: sampleScenesMissing() }, async () => {
  const files = { panPath: join(data, 'ikonos_italy_pan.tif'), msPath: join(data, 'ikonos_italy_ms.tif') };
  const tiled = await sharpen({ ...files, method: 'mtf-glp', outPath: out('tiled.tif'), tileSizePx: 256, dataType: 'Float32' });
  const whole = await sharpen({ ...files, method: 'mtf-glp', outPath: out('whole.tif'), tileSizePx: 4096, dataType: 'Float32' });
  assert.equal(tiled.tiles, 25);
  assert.equal(whole.tiles, 1);
  const a = await readAll(tiled.outPath);
  const b = await readAll(whole.outPath);
  let maxDiff = 0;
  for (let band = 0; band < 4; band++)
    for (let row = 64; row < a.height - 64; row++)
      for (let col = 64; col < a.width - 64; col++)
        maxDiff = Math.max(maxDiff, Math.abs(a.bands[band]![row * a.width + col]! - b.bands[band]![row * a.width + col]!));
  assert.ok(maxDiff / 2047 < 1e-5, `max |tiled − whole| = ${maxDiff} DN`);
});

test('a network in batches (3 tiles a call, the last call short) writes what one tile at a time writes', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'batched'), panWidth: 256, panHeight: 256 });
  const single = await sharpen({ ...scene, method: 'dummynet', outPath: out(), tileSizePx: 64, dataType: 'Float32', device: 'cpu', batchSize: 1 });
  const batched = await sharpen({ ...scene, method: 'dummynet', outPath: out(), tileSizePx: 64, dataType: 'Float32', device: 'cpu', batchSize: 3 });
  assert.equal(batched.tiles, 16);
  assert.equal(batched.batchSize, 3);
  assert.equal(batched.device, 'cpu');
  assert.deepEqual(batched.deviceEvents, []);
  assert.equal(batched.deviceReason, 'CPU requested');
  assert.ok(batched.timings.inferMs > 0 && batched.timings.wallMs >= batched.timings.inferMs);
  const a = await readAll(single.outPath);
  const b = await readAll(batched.outPath);
  let maxDiff = 0;
  for (let band = 0; band < 4; band++) a.bands[band]!.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.bands[band]![i]!))));
  assert.ok(maxDiff < 1e-3, `max |batched − single| = ${maxDiff} DN`);
});
