// Bad input: each case its own test, a clear message naming the file and the problem, and nothing written.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { InputError, OutputError, PanForgeError, RequestError } from '../errors.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { writeSyntheticScene, type SyntheticSceneOptions } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { sharpen, type SharpenOptions } from './sharpen.ts';

const root = tempFolder('bad-input');
const models = join(root, 'models');
let good: { panPath: string; msPath: string };

before(async () => {
  writeDummyModel(models, 4);
  process.env.PANFORGE_MODELS_DIR = models;
  good = await writeSyntheticScene({ folder: join(root, 'good'), panWidth: 64, panHeight: 64 });
});

let counter = 0;
async function scene(options: Partial<SyntheticSceneOptions>) {
  return writeSyntheticScene({ folder: join(root, `scene-${counter++}`), panWidth: 64, panHeight: 64, ...options });
}

/** Runs sharpen into a fresh folder, expects a PanForgeError of `type` with `code`, and checks nothing was written. */
async function expectFailure(options: Partial<SharpenOptions>, type: typeof PanForgeError, code: string | readonly string[], mentions: RegExp): Promise<void> {
  const outFolder = join(root, `out-${counter++}`);
  mkdirSync(outFolder);
  const run = sharpen({ panPath: good.panPath, msPath: good.msPath, method: 'exp', outPath: join(outFolder, 'out.tif'), ...options });
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    assert.ok((typeof code === 'string' ? [code] : code).includes((err as PanForgeError).code), `code ${(err as PanForgeError).code}`);
    assert.match((err as Error).message, mentions);
    return true;
  });
  assert.deepEqual(readdirSync(outFolder), [], 'nothing is written');
}

test('missing file', async () => {
  await expectFailure({ panPath: join(root, 'nope_pan.tif') }, InputError, 'file-not-found', /PAN file not found: .*nope_pan\.tif/);
});

test('not a raster', async () => {
  const text = join(root, 'notes.tif');
  writeFileSync(text, 'this is not an image\n');
  await expectFailure({ msPath: text }, InputError, 'not-a-raster', /MS file notes\.tif is not a raster/);
});

test('truncated TIFF', async () => {
  const s = await scene({ panWidth: 512, panHeight: 512 });
  const truncated = join(root, 'truncated_pan.tif');
  const bytes = readFileSync(s.panPath);
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
  // Depending on where the cut falls, GDAL refuses at open or at the first read: both are clear InputErrors.
  await expectFailure({ panPath: truncated, msPath: s.msPath }, InputError, ['read-failed', 'not-a-raster'], /truncated_pan\.tif/);
});

test('no georeference', async () => {
  const s = await scene({ noGeoreference: true });
  await expectFailure(s, InputError, 'not-georeferenced', /PAN synthetic_pan\.tif has no geotransform/);
});

test('PAN with 3 bands', async () => {
  const s = await scene({ panBands: 3 });
  await expectFailure(s, InputError, 'pan-band-count', /PAN synthetic_pan\.tif has 3 bands; expected 1/);
});

test('MS with 1 band', async () => {
  const s = await scene({ bands: 1 });
  await expectFailure(s, InputError, 'ms-band-count', /MS synthetic_ms\.tif has 1 band; expected 2 or more/);
});

test('CRS mismatch that cannot be reprojected', async () => {
  const s = await scene({ msCrsWkt: 'LOCAL_CS["site grid",UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]' });
  await expectFailure(s, InputError, 'crs-mismatch', /MS synthetic_ms\.tif .*cannot be reprojected onto the CRS of PAN synthetic_pan\.tif/);
});

test('no overlap', async () => {
  const s = await scene({ msOffsetPx: [4000, 0] });
  await expectFailure(s, InputError, 'no-overlap', /does not overlap PAN extent .*synthetic_ms\.tif, synthetic_pan\.tif/);
});

test('ratio 3 for a network that needs 4', async () => {
  const s = await scene({ ratio: 3, panWidth: 66, panHeight: 66 });
  await expectFailure({ ...s, method: 'dummynet' }, InputError, 'ratio-unsupported', /DummyNet supports a PAN\/MS ratio of 4; this scene's ratio is 3/);
});

test('ratio 2.5', async () => {
  const s = await scene({ ratio: 4, msPixelM: 1.25 });
  await expectFailure(s, InputError, 'ratio-not-integer', /ratio is 2\.5 .*needs an integer ratio/);
});

test('band count not fitting the model', async () => {
  const s = await scene({ bands: 8 });
  await expectFailure({ ...s, method: 'dummynet' }, InputError, 'band-count', /DummyNet needs an MS with 4 bands; this scene's MS has 8/);
});

test('all-nodata input', async () => {
  const s = await scene({ noData: { value: 0, borderPx: 64 } });
  await expectFailure(s, InputError, 'all-nodata', /no valid pixels.*synthetic_pan\.tif/);
});

test('1×1 scene', async () => {
  const s = await scene({ panWidth: 1, panHeight: 1, ratio: 1 });
  await expectFailure(s, InputError, 'scene-too-small', /scene too small: PAN synthetic_pan\.tif is 1×1/);
});

test('output folder missing', async () => {
  await assert.rejects(sharpen({ ...good, method: 'exp', outPath: join(root, 'no-such-folder', 'out.tif') }), (err: unknown) => {
    assert.ok(err instanceof OutputError);
    assert.equal(err.code, 'output-folder-missing');
    assert.match(err.message, /output folder does not exist: .*no-such-folder/);
    return true;
  });
});

test('output exists (and is left untouched)', async () => {
  const outFolder = join(root, 'exists');
  mkdirSync(outFolder);
  const target = join(outFolder, 'out.tif');
  copyFileSync(good.panPath, target);
  const before = readFileSync(target);
  await assert.rejects(sharpen({ ...good, method: 'exp', outPath: target }), (err: unknown) => {
    assert.ok(err instanceof OutputError);
    assert.equal(err.code, 'output-exists');
    assert.match(err.message, /output exists: .*out\.tif; choose another name or pass --overwrite/);
    return true;
  });
  assert.deepEqual(readFileSync(target), before);
  assert.deepEqual(readdirSync(outFolder), ['out.tif']);
});

test('unknown method', async () => {
  await expectFailure({ method: 'magic' }, RequestError, 'unknown-method', /unknown method "magic"; available: exp/);
});
