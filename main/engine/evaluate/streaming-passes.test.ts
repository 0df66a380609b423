// The streamed assessment equals the whole-array functions: Wald degradation (== mtfDegrade), the reduced-resolution
// pass (== reducedResolutionIndices) and the full-resolution pass (== fullResolutionIndices), on a synthetic scene
// with small tiles (edges, partial Q2n blocks) and a hole of NaN pixels in the fused image (excluded and counted).
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { interp23tap } from '../dsp/interp23tap.ts';
import { mtfDegrade } from '../dsp/mtf-degrade.ts';
import { type Dataset, gdal } from '../io/gdal.ts';
import { sharpen } from '../jobs/sharpen.ts';
import { fullResolutionIndices } from '../metrics/full-resolution.ts';
import { reducedResolutionIndices } from '../metrics/reduced-resolution.ts';
import { spectralAngleMap } from '../metrics/spectral-angle-map.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { fullResolutionPass } from './full-resolution-pass.ts';
import { createMapWriter } from './map-writer.ts';
import { type RasterSource, readWindow64 } from './read-raster-window.ts';
import { reducedResolutionPass } from './reduced-resolution-pass.ts';
import { waldDegrade } from './wald-degrade.ts';

const folder = tempFolder('passes');
const W = 512;
const H = 480;
const open: Dataset[] = [];
let pan: RasterSource;
let ms: RasterSource;
let panPath: string;
let msPath: string;

async function source(path: string): Promise<RasterSource> {
  const dataset = await gdal.openAsync(path);
  open.push(dataset);
  return { dataset, path, colOff: 0, rowOff: 0 };
}

/** A copy of `path` with a 6×5 hole of NaN at (col, row) in every band. */
async function withHole(path: string, col: number, row: number): Promise<string> {
  const holed = path.replace(/\.tif$/, '_hole.tif');
  copyFileSync(path, holed);
  const ds = await gdal.openAsync(holed, 'r+');
  for (let b = 1; b <= ds.bands.count(); b++) await ds.bands.get(b).pixels.writeAsync(col, row, 6, 5, new Float32Array(30).fill(NaN));
  ds.close();
  return holed;
}

function assertClose(got: number, want: number, what: string): void {
  assert.ok(Number.isFinite(want), `${what}: reference value ${want} is finite`);
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: streamed ${got} vs whole ${want}`);
}

before(async () => {
  const scene = await writeSyntheticScene({ folder, panWidth: W, panHeight: H, sensor: 'QuickBird' });
  panPath = scene.panPath;
  msPath = scene.msPath;
  pan = await source(panPath);
  ms = await source(msPath);
});

after(() => open.forEach((d) => d.close()));

test('reduced resolution: Wald degradation == mtfDegrade, streamed indices == whole-array indices (NaN hole counted)', async () => {
  const degraded = await waldDegrade({
    pan,
    ms,
    bands: 4,
    bandDescriptions: ['Blue', 'Green', 'Red', 'NIR'],
    msWidth: W / 4,
    msHeight: H / 4,
    ratio: 4,
    sensor: 'QuickBird',
    panGeoTransform: [500000, 0.5, 0, 4600000, 0, -0.5],
    crsWkt: pan.dataset.srs!.toWKT(),
    bitDepth: 11,
    sensorName: 'QuickBird',
    panOutPath: join(folder, 'd_pan.tif'),
    msOutPath: join(folder, 'd_ms.tif'),
    noData: null,
    overwrite: false,
  });
  const msWhole = await readWindow64(ms, { colOff: 0, rowOff: 0, width: W / 4, height: H / 4 });
  const wantMs = mtfDegrade(msWhole, 'QuickBird', 4);
  const gotMs = await readWindow64(await source(degraded.msPath), { colOff: 0, rowOff: 0, width: W / 16, height: H / 16 });
  for (let i = 0; i < wantMs.data.length; i++) assert.equal(gotMs.data[i], Math.fround(wantMs.data[i]!), `degraded MS value ${i}`);
  const fusedPath = join(folder, 'rr_gsa.tif');
  await sharpen({ panPath: degraded.panPath, msPath: degraded.msPath, method: 'gsa', outPath: fusedPath, dataType: 'Float32' });
  const fused = await source(await withHole(fusedPath, 70, 41));
  const got = await reducedResolutionPass({
    reference: ms,
    fused,
    bands: 4,
    width: W / 4,
    height: H / 4,
    ratio: 4,
    bitDepth: 11,
    samMap: null,
    coreSizePx: 32,
  });
  const whole = reducedResolutionIndices({
    ref: msWhole,
    fused: await readWindow64(fused, { colOff: 0, rowOff: 0, width: W / 4, height: H / 4 }),
    ratio: 4,
    bitDepth: 11,
  });
  for (const key of ['Q2n', 'Q', 'SAM_deg', 'ERGAS', 'SCC', 'PSNR_dB'] as const) assertClose(got[key]!, whole[key]!, key);
  assert.deepEqual(got.excluded, whole.excluded);
  assert.equal(got.excluded.pixels, 30);
  assert.ok(got.excluded.q2nBlocks >= 1 && got.excluded.qWindows > 0);
});

test('full resolution: streamed indices and SAM map == whole-array ones (NaN hole counted)', async () => {
  const fusedPath = join(folder, 'fr_gsa.tif');
  await sharpen({ panPath, msPath, method: 'gsa', outPath: fusedPath, dataType: 'Float32' });
  const fused = await source(await withHole(fusedPath, 300, 200));
  const mapPath = join(folder, 'fr_map.tif');
  const grid = { width: W, height: H, geoTransform: [500000, 0.5, 0, 4600000, 0, -0.5] as const, crsWkt: pan.dataset.srs!.toWKT() };
  const samMap = await createMapWriter({ path: mapPath, grid, description: 'test', overwrite: false });
  const got = await fullResolutionPass({ pan, ms, fused, bands: 4, width: W, height: H, ratio: 4, sensor: 'QuickBird', samMap, coreSizePx: 128 });
  await samMap.commit();
  const fusedWhole = await readWindow64(fused, { colOff: 0, rowOff: 0, width: W, height: H });
  const msLr = await readWindow64(ms, { colOff: 0, rowOff: 0, width: W / 4, height: H / 4 });
  const whole = fullResolutionIndices({
    fused: fusedWhole,
    msLr,
    pan: await readWindow64(pan, { colOff: 0, rowOff: 0, width: W, height: H }),
    sensor: 'QuickBird',
    ratio: 4,
  });
  for (const key of ['D_lambda', 'D_s', 'QNR', 'D_lambda_K', 'HQNR'] as const) assertClose(got[key], whole[key], key);
  assert.ok(got.excluded.dLambdaBlocks >= 1 && got.excluded.dSBlocks >= 1 && got.excluded.dLambdaKBlocks >= 1, JSON.stringify(got.excluded));
  const map = await readWindow64(await source(mapPath), { colOff: 0, rowOff: 0, width: W, height: H });
  const want = spectralAngleMap(fusedWhole, interp23tap(msLr, 4));
  for (let i = 0; i < want.data.length; i++) {
    if (Number.isNaN(want.data[i])) assert.ok(Number.isNaN(map.data[i]), `map pixel ${i} NaN`);
    else assert.equal(map.data[i], want.data[i], `map pixel ${i}`);
  }
});

test('a fused image with another band count or size is an InputError naming the file', async () => {
  await assert.rejects(
    reducedResolutionPass({ reference: ms, fused: pan, bands: 4, width: W / 4, height: H / 4, ratio: 4, bitDepth: 11, samMap: null }),
    (e: Error) => e.name === 'InputError' && /has 1 bands; expected 4/.test(e.message) && e.message.includes(panPath),
  );
  await assert.rejects(
    reducedResolutionPass({ reference: ms, fused: ms, bands: 4, width: W, height: H, ratio: 4, bitDepth: 11, samMap: null }),
    (e: Error) => e.name === 'InputError' && /is 128×120 px; expected a 512×480 px area/.test(e.message),
  );
});

test('a constant fused image (zero variance): streamed indices == whole-array ones, NaN where the toolbox gives NaN', async () => {
  const path = join(folder, 'constant.tif');
  const ds = gdal.open(path, 'w', 'GTiff', W / 4, H / 4, 4, gdal.GDT_Float32);
  for (let b = 1; b <= 4; b++) ds.bands.get(b).pixels.write(0, 0, W / 4, H / 4, new Float32Array((W / 4) * (H / 4)).fill(700));
  ds.close();
  const fused = await source(path);
  const got = await reducedResolutionPass({
    reference: ms,
    fused,
    bands: 4,
    width: W / 4,
    height: H / 4,
    ratio: 4,
    bitDepth: 11,
    samMap: null,
    coreSizePx: 64,
  });
  const whole = reducedResolutionIndices({
    ref: await readWindow64(ms, { colOff: 0, rowOff: 0, width: W / 4, height: H / 4 }),
    fused: await readWindow64(fused, { colOff: 0, rowOff: 0, width: W / 4, height: H / 4 }),
    ratio: 4,
    bitDepth: 11,
  });
  for (const key of ['Q2n', 'Q', 'SAM_deg', 'ERGAS', 'SCC', 'PSNR_dB'] as const) {
    if (Number.isNaN(whole[key])) assert.ok(Number.isNaN(got[key]), `${key}: NaN in both`);
    else assert.ok(Math.abs(got[key]! - whole[key]!) <= 1e-9 * Math.max(1, Math.abs(whole[key]!)), `${key}: ${got[key]} vs ${whole[key]}`);
  }
  assert.ok(Math.abs(got.Q) < 0.05, `Q of a constant image is ~0, got ${got.Q}`);
});
