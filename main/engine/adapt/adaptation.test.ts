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
import { fitAdaptation, glpOnWindows, loadAdaptationRecord, runOnWindows } from './scene-adaptation.ts';
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
    const runOptions = { valueMax: 2047, device: 'cpu', log: () => undefined } as const;
    const glp = (await glpOnWindows(windows, runOptions))!;
    for (const id of ['dummynet', 'exp', 'gsa']) {
      const method = resolveMethod(id, 4, 4);
      const outputs = await runOnWindows(method, windows, runOptions);
      const record = fitAdaptation(method, windows, outputs, glp);
      const rect = coreWindow(windows.sidePx, windows.contextPx);
      // Recompute the held-back score of what would be written, independently of the record's numbers.
      const applied = record.correction
        ? outputs.guard.map((f, i) =>
            applyCorrection(record.correction!, f, upsampleBicubic(windows.guard[i]!.ms, 4), panDetail(windows.guard[i]!.pan, 4), glp.guard[i]!),
          )
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
  const record = fitAdaptation(expMethod, rigged, outputs, await glpOnWindows(rigged, { valueMax: 2047, device: 'cpu', log: () => undefined }));
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
  assert.equal(sidecar.format, 'panforge-adaptation/2');
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
  // One tile: the memory estimate would otherwise split the scene once MTF-GLP's overlap is added (nothing is allocated).
  const oneTile = { tileSizePx: 4096, maxMemoryBytes: 64 * 2 ** 30 };
  const w = await sharpen({ ...scene, method: 'dummynet', adaptFrom: r.adaptationPath, outPath: whole, ...oneTile, dataType: 'Float32', device: 'cpu' });
  assert.equal(w.tiles, 1);
  assert.deepEqual(w.adaptation?.correction, r.adaptation.correction);
  const a = await readAll(tiled);
  const b = await readAll(whole);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  assert.ok(maxDiff < 1e-3, `max |tiled − untiled| = ${maxDiff}`);
  // The PAN-detail and MTF-GLP terms are computed inside each tile too: force each (identity + half the PAN detail;
  // half the method + half MTF-GLP) and compare again.
  const forcedRows = {
    'cross-pan': (b: number) => [0, 1, 2, 3].map((k) => (k === b ? 1 : 0) as number).concat([0, 0.5, 0, 0]),
    'gain-glp': (b: number) => [0, 1, 2, 3].map((k) => (k === b ? 0.5 : 0) as number).concat([0, 0, 0.5, 0]),
  };
  for (const [kind, row] of Object.entries(forcedRows)) {
    const forced = join(root, `${kind}.adaptation.json`);
    writeFileSync(forced, JSON.stringify({ ...r.adaptation, accepted: true, correction: { kind, bands: 4, coefficients: [0, 1, 2, 3].map(row) } }));
    const tiledForced = out(`tiled-${kind}.tif`);
    const wholeForced = out(`whole-${kind}.tif`);
    await sharpen({ ...scene, method: 'dummynet', adaptFrom: forced, outPath: tiledForced, tileSizePx: 128, dataType: 'Float32', device: 'cpu' });
    const whole = await sharpen({ ...scene, method: 'dummynet', adaptFrom: forced, outPath: wholeForced, ...oneTile, dataType: 'Float32', device: 'cpu' });
    assert.equal(whole.tiles, 1);
    const c = await readAll(tiledForced);
    const d = await readAll(wholeForced);
    let maxForcedDiff = 0;
    let changed = 0;
    for (let i = 0; i < c.length; i++) {
      maxForcedDiff = Math.max(maxForcedDiff, Math.abs(c[i]! - d[i]!));
      if (Math.abs(c[i]! - b[i]!) > 1) changed++;
    }
    assert.ok(changed > c.length / 10, `the ${kind} term changes the output`);
    assert.ok(maxForcedDiff < 1e-3, `max |tiled − untiled| with ${kind} = ${maxForcedDiff}`);
  }
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

test('--adapt-from reads a record of format /1 (rows without the MTF-GLP weight) as it applied then', async () => {
  const method = resolveMethod('dummynet', 4, 4);
  const rows = [0, 1, 2, 3].map((b) => [0, 1, 2, 3].map((k): number => (k === b ? 1.1 : 0)).concat([0.05, 0.2, -3]));
  const old = join(root, 'format-1.adaptation.json');
  writeFileSync(
    old,
    JSON.stringify({
      format: 'panforge-adaptation/1',
      method: 'dummynet',
      model: { name: method.model!.name, sha256: method.model!.sha256 },
      bands: 4,
      accepted: true,
      correction: { kind: 'cross-pan', bands: 4, coefficients: rows },
    }),
  );
  const record = await loadAdaptationRecord(old, method, 4);
  assert.equal(record.format, 'panforge-adaptation/2');
  assert.deepEqual(
    record.correction!.coefficients,
    rows.map((row) => [...row.slice(0, 6), 0, -3]),
  );
});

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
