import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { openScene } from '../io/open-scene.ts';
import { expMethod } from '../methods/classical/exp.ts';
import { resolveMethod } from '../methods/registry.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { sharpen } from '../jobs/sharpen.ts';
import { recommend } from '../jobs/recommend.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { writeDummyModel } from '../testing/dummy-model.ts';
import { writeSyntheticScene, type SyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { applyCorrection, panDetail } from './scene-correction.ts';
import { fitAdaptation, runOnWindows } from './scene-adaptation.ts';
import { upsampleBicubic } from '../methods/classical/bicubic.ts';
import { readWaldWindows, SceneTooSmallError, type WaldWindowSet } from './wald-windows.ts';
import { coreWindow, scoreWindows } from './window-scores.ts';

const root = tempFolder('adapt');
let scene: SyntheticScene;
let n = 0;
const out = (name = 'out.tif') => {
  const dir = join(root, `run-${n++}`);
  mkdirSync(dir);
  return join(dir, name);
};

before(async () => {
  process.env.PANFORGE_MODELS_DIR = join(root, 'models');
  writeDummyModel(join(root, 'models'), 4);
  // MS 192² px: four 96² Wald windows (two fit, two held back).
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 768, panHeight: 768, sensor: 'IKONOS' });
});

async function windowsOf(seed: number) {
  const s = await openScene(scene);
  const sample = await readSceneSample(s);
  try {
    return { windows: await readWaldWindows({ scene: s, sample, seed }), close: () => s.close() };
  } catch (err) {
    s.close();
    throw err;
  }
}

test('the guard never keeps a correction that worsens the held-back windows (several methods and seeds)', async () => {
  for (const seed of [1, 2, 3]) {
    const { windows, close } = await windowsOf(seed);
    close();
    for (const id of ['dummynet', 'exp', 'gsa']) {
      const method = resolveMethod(id, 4, 4);
      const outputs = await runOnWindows(method, windows, { valueMax: 2047, device: 'cpu', log: () => undefined });
      const record = fitAdaptation(method, windows, outputs);
      const rect = coreWindow(windows.sidePx, windows.contextPx);
      // Recompute the held-back score of what would be written, independently of the record's numbers.
      const applied = record.correction
        ? outputs.guard.map((f, i) => applyCorrection(record.correction!, f, upsampleBicubic(windows.guard[i]!.ms, 4), panDetail(windows.guard[i]!.pan, 4)))
        : outputs.guard;
      const before = scoreWindows(windows.guard, outputs.guard, rect, 4);
      const after = scoreWindows(windows.guard, applied, rect, 4);
      assert.ok(
        after.ergas <= before.ergas && after.sam <= before.sam,
        `${id} seed ${seed}: held-back ERGAS ${before.ergas} → ${after.ergas}, SAM ${before.sam} → ${after.sam}`,
      );
      if (record.accepted) assert.ok(after.ergas < before.ergas, 'an accepted correction lowers ERGAS');
      else assert.equal(applied, outputs.guard, 'a declined adaptation leaves the output as it was');
    }
  }
});

test('the guard declines a correction fitted on windows that disagree with the held-back ones', async () => {
  const { windows, close } = await windowsOf(1);
  close();
  const outputs = await runOnWindows(expMethod, windows, { valueMax: 2047, device: 'cpu', log: () => undefined });
  // Fit windows whose reference is twice the output: the fit learns ×2, which the held-back windows (reference =
  // output) must reject.
  const doubled = (b: BandBlock): BandBlock => ({ ...b, data: b.data.map((v) => 2 * v) });
  const rigged: WaldWindowSet = {
    ...windows,
    fit: windows.fit.map((w, i) => ({ ...w, reference: doubled(outputs.fit[i]!) })),
    guard: windows.guard.map((w, i) => ({ ...w, reference: outputs.guard[i]! })),
  };
  const record = fitAdaptation(expMethod, rigged, outputs);
  assert.equal(record.accepted, false);
  assert.equal(record.correction, null);
  assert.match(record.message, /did not improve the held-back windows/);
  assert.ok(record.guard.gain!.ergas > record.guard.unadapted.ergas);
});

test('sharpen --adapt: record in metadata and sidecar, tiled equals untiled, --adapt-from reproduces it', async () => {
  const tiled = out('tiled.tif');
  const logs: string[] = [];
  const r = await sharpen(
    { ...scene, method: 'dummynet', adapt: true, outPath: tiled, tileSizePx: 128, dataType: 'Float32', device: 'cpu' },
    { onEvent: (e) => e.type === 'log' && logs.push(e.message) },
  );
  assert.ok(r.adaptation, 'an adaptation record');
  // The equality below must be about a correction that is applied, not the unadapted fallback.
  assert.equal(r.adaptation.accepted, true, r.adaptation.message);
  assert.equal(r.adaptationPath, join(tiled, '..', 'tiled.adaptation.json'));
  const sidecar = JSON.parse(readFileSync(r.adaptationPath!, 'utf8'));
  assert.equal(sidecar.format, 'panforge-adaptation/1');
  assert.equal(sidecar.model.name, r.modelName);
  assert.ok(
    logs.some((l) => /held-back/.test(l)),
    logs.join('\n'),
  );
  const ds = await gdal.openAsync(tiled);
  const md = ds.getMetadata();
  ds.close();
  assert.deepEqual(JSON.parse(md.PANFORGE_ADAPTATION!), sidecar);
  const whole = out('whole.tif');
  const w = await sharpen({ ...scene, method: 'dummynet', adaptFrom: r.adaptationPath, outPath: whole, tileSizePx: 4096, dataType: 'Float32', device: 'cpu' });
  assert.equal(w.tiles, 1);
  assert.deepEqual(w.adaptation?.correction, r.adaptation.correction);
  const a = await readAll(tiled);
  const b = await readAll(whole);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  assert.ok(maxDiff < 1e-3, `max |tiled − untiled| = ${maxDiff}`);
  // The PAN-detail term is computed inside each tile too: force it (identity + half the PAN detail) and compare again.
  const withPan = {
    ...r.adaptation,
    accepted: true,
    correction: {
      kind: 'cross-pan',
      bands: 4,
      coefficients: [0, 1, 2, 3].map((b) => [0, 1, 2, 3].map((k) => (k === b ? 1 : 0) as number).concat([0, 0.5, 0])),
    },
  };
  const forced = join(root, 'cross-pan.adaptation.json');
  writeFileSync(forced, JSON.stringify(withPan));
  const tiledPan = out('tiled-pan.tif');
  const wholePan = out('whole-pan.tif');
  await sharpen({ ...scene, method: 'dummynet', adaptFrom: forced, outPath: tiledPan, tileSizePx: 128, dataType: 'Float32', device: 'cpu' });
  await sharpen({ ...scene, method: 'dummynet', adaptFrom: forced, outPath: wholePan, tileSizePx: 4096, dataType: 'Float32', device: 'cpu' });
  const c = await readAll(tiledPan);
  const d = await readAll(wholePan);
  let maxPanDiff = 0;
  let changed = 0;
  for (let i = 0; i < c.length; i++) {
    maxPanDiff = Math.max(maxPanDiff, Math.abs(c[i]! - d[i]!));
    if (Math.abs(c[i]! - b[i]!) > 1) changed++;
  }
  assert.ok(changed > c.length / 10, 'the PAN detail term changes the output');
  assert.ok(maxPanDiff < 1e-3, `max |tiled − untiled| with PAN detail = ${maxPanDiff}`);
  // --adapt-from also reads the record from the GeoTIFF itself.
  const again = await sharpen({ ...scene, method: 'dummynet', adaptFrom: tiled, outPath: out(), device: 'cpu' });
  assert.deepEqual(again.adaptation?.correction, r.adaptation.correction);
});

async function readAll(path: string): Promise<Float32Array> {
  const ds = await gdal.openAsync(path);
  const { x, y } = ds.rasterSize;
  const all = new Float32Array(ds.bands.count() * x * y);
  for (let b = 1; b <= ds.bands.count(); b++)
    await ds.bands.get(b).pixels.readAsync(0, 0, x, y, all.subarray((b - 1) * x * y, b * x * y), { data_type: 'Float32' });
  ds.close();
  return all;
}

test('--adapt-from refuses a record of another method or a malformed file, naming the file', async () => {
  const bad = join(root, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'panforge-adaptation/1', method: 'gsa', model: null, bands: 4, accepted: false, correction: null }));
  await assert.rejects(
    sharpen({ ...scene, method: 'dummynet', adaptFrom: bad, outPath: out(), device: 'cpu' }),
    (err: unknown) => err instanceof InputError && err.code === 'bad-adaptation' && err.message.includes(bad) && /fitted for method gsa/.test(err.message),
  );
  writeFileSync(bad, '{not json');
  await assert.rejects(sharpen({ ...scene, method: 'dummynet', adaptFrom: bad, outPath: out(), device: 'cpu' }), /not valid JSON/);
});

test('a scene too small to degrade sharpens unadapted with a warning; recommend says why', async () => {
  const small = await writeSyntheticScene({ folder: join(root, 'small'), panWidth: 256, panHeight: 256 });
  const logs: string[] = [];
  const target = out();
  const r = await sharpen(
    { ...small, method: 'dummynet', adapt: true, outPath: target, device: 'cpu' },
    { onEvent: (e) => e.type === 'log' && logs.push(e.message) },
  );
  assert.equal(r.adaptation, null);
  assert.ok(existsSync(target));
  assert.ok(
    logs.some((l) => /warning: scene too small to degrade/.test(l)),
    logs.join('\n'),
  );
  await assert.rejects(
    recommend({ ...small, device: 'cpu' }),
    (err: unknown) => err instanceof SceneTooSmallError && /64×64 px; a Wald window needs at least 96×96 MS px/.test(err.message),
  );
});

test('an unknown sensor degrades with generic gains and says so', async () => {
  const logs: string[] = [];
  const r = await sharpen(
    { ...scene, method: 'exp', adapt: true, sensor: 'Landsat-99', outPath: out(), device: 'cpu' },
    { onEvent: (e) => e.type === 'log' && logs.push(e.message) },
  );
  assert.ok(
    logs.some((l) => /unknown sensor "Landsat-99" \(--sensor\): using generic MTF gains/.test(l)),
    logs.join('\n'),
  );
  assert.deepEqual(r.adaptation?.sensor.gains, [0.3, 0.3, 0.3, 0.3]);
});

test('recommend is deterministic for a seed, ranks by ERGAS, and names a method --method accepts', async () => {
  const a = await recommend({ ...scene, seed: 5, device: 'cpu', methods: ['exp', 'gsa', 'dummynet'], fullResolutionTop: 2 });
  const b = await recommend({ ...scene, seed: 5, device: 'cpu', methods: ['exp', 'gsa', 'dummynet'], fullResolutionTop: 2 });
  const strip = (r: typeof a) => r.ranking.map(({ name, sam, ergas, q2n, fullResolution }) => ({ name, sam, ergas, q2n, fullResolution }));
  assert.deepEqual(strip(a), strip(b));
  assert.deepEqual(a.ranking.map((r) => r.name).sort(), ['dummynet', 'dummynet --adapt', 'exp', 'gsa']);
  for (let i = 1; i < a.ranking.length; i++) assert.ok(a.ranking[i - 1]!.ergas <= a.ranking[i]!.ergas);
  assert.equal(a.recommended.name, a.ranking[0]!.name);
  assert.ok(resolveMethod(a.recommended.method, 4, 4));
  assert.equal(a.ranking.filter((r) => r.fullResolution).length, 2);
  const other = await recommend({ ...scene, seed: 6, device: 'cpu', methods: ['exp'] });
  assert.equal(other.seed, 6);
});

test('recommend refuses unknown --methods, naming them and the choices', async () => {
  await assert.rejects(
    recommend({ ...scene, methods: ['gsa', 'nope', 'bogus'] }),
    (err: unknown) =>
      err instanceof InputError && err.code === 'unknown-method' && /unknown methods "nope", "bogus"; available: exp, brovey, gsa/.test(err.message),
  );
});

test('sharpen --method auto runs the pick and records the ranking', async () => {
  const target = out();
  const r = await sharpen({ ...scene, method: 'auto', outPath: target, device: 'cpu' });
  assert.ok(r.recommendation);
  assert.equal(r.method, r.recommendation.recommended.method);
  const ds = await gdal.openAsync(target);
  const md = ds.getMetadata();
  ds.close();
  const ranking = JSON.parse(md.PANFORGE_RECOMMENDATION!);
  assert.equal(ranking.recommended.name, r.recommendation.recommended.name);
  assert.equal(ranking.ranking.length, r.recommendation.ranking.length);
  assert.equal(md.PANFORGE_METHOD, r.method);
});
