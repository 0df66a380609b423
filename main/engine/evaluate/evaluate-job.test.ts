// The evaluate job end to end on small synthetic scenes: report files, maps on the outputs' grid, nodata excluded
// and counted, and the documented errors (too small, unknown sensor/method, existing report, cancel).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gdal } from '../io/gdal.ts';
import { writeSyntheticScene, type SyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { evaluate } from './evaluate-job.ts';

const root = tempFolder('evaluate');
let holed: SyntheticScene;

before(async () => {
  // A nodata border of 24 PAN px on the left (6 MS px): pixels to exclude and count.
  holed = await writeSyntheticScene({ folder: join(root, 'holed'), panWidth: 256, panHeight: 256, sensor: 'QuickBird', noData: { value: 0, borderPx: 24 } });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

test('nodata scene: report files, finite indices, excluded counts, maps on the outputs grid, nothing partial', async () => {
  const outDir = join(root, 'out-holed');
  const { report, reportPaths } = await evaluate({ panPath: holed.panPath, msPath: holed.msPath, methods: ['exp', 'gsa'], protocols: ['rr', 'fr'], outDir });
  for (const p of Object.values(reportPaths)) assert.ok(existsSync(p), p);
  assert.deepEqual(JSON.parse(readFileSync(reportPaths.json, 'utf8')).scene.mtf, 'QuickBird');
  assert.equal(readFileSync(reportPaths.csv, 'utf8').trim().split('\n').length, 1 + 4);
  const [rr, fr] = report.protocols;
  assert.equal(rr!.protocol, 'rr');
  assert.match(rr!.description, /PAN: Nyquist gain 0\.15, QuickBird: MTF_PAN\.m case 'QB'/);
  assert.equal(fr!.protocol, 'fr');
  for (const p of report.protocols) {
    for (const m of p.methods) {
      for (const [k, v] of Object.entries(m.indices)) assert.ok(Number.isFinite(v), `${p.protocol} ${m.method} ${k} = ${v}`);
      for (const mapPath of Object.values(m.maps)) {
        const map = gdal.open(join(outDir, mapPath));
        const out = gdal.open(join(outDir, m.outputPath));
        try {
          assert.deepEqual(map.geoTransform, out.geoTransform, `${mapPath} on the grid of ${m.outputPath}`);
          assert.deepEqual([map.rasterSize.x, map.rasterSize.y], [out.rasterSize.x, out.rasterSize.y]);
          assert.ok(map.srs!.isSame(out.srs!));
        } finally {
          map.close();
          out.close();
        }
      }
    }
  }
  // rr: 6 MS columns of nodata in the reference (256/4 = 64 rows) at least; fr: the 24-px border touches one block column.
  assert.ok(
    rr!.methods.every((m) => m.excluded.pixels! >= 6 * 64),
    JSON.stringify(rr!.methods.map((m) => m.excluded)),
  );
  assert.ok(
    fr!.methods.every((m) => m.excluded.dLambdaBlocks! >= 8),
    JSON.stringify(fr!.methods.map((m) => m.excluded)),
  );
  assert.equal(report.comparisons.length, 2);
  assert.ok(report.comparisons.every((c) => c.meanSpectralAngleDeg > 0 && c.meanRelativeDifference > 0));
  assert.deepEqual(
    allFiles(outDir).filter((f) => f.includes('.partial')),
    [],
  );
});

test('an existing report is not overwritten without overwrite', async () => {
  const outDir = join(root, 'out-holed');
  await assert.rejects(
    evaluate({ panPath: holed.panPath, msPath: holed.msPath, methods: ['exp'], protocols: ['fr'], outDir }),
    (e: Error) => e.name === 'OutputError' && /report\.json/.test(e.message),
  );
});

test('scenes smaller than one 32×32 block: clear InputError per protocol', async () => {
  const tiny = await writeSyntheticScene({ folder: join(root, 'tiny'), panWidth: 64, panHeight: 64, sensor: 'QuickBird' });
  await assert.rejects(
    evaluate({ panPath: tiny.panPath, msPath: tiny.msPath, methods: ['exp'], protocols: ['rr'], outDir: join(root, 'out-tiny') }),
    (e: Error & { code?: string }) =>
      e.code === 'scene-too-small' && /reduced-resolution protocol: the MS of synthetic_ms\.tif is 16×16 px; it needs at least 32×32/.test(e.message),
  );
  const tinier = await writeSyntheticScene({ folder: join(root, 'tinier'), panWidth: 28, panHeight: 28, sensor: 'QuickBird' });
  await assert.rejects(
    evaluate({ panPath: tinier.panPath, msPath: tinier.msPath, methods: ['exp'], protocols: ['fr'], outDir: join(root, 'out-tinier') }),
    (e: Error & { code?: string }) => e.code === 'scene-too-small' && /28×28 PAN px/.test(e.message),
  );
});

test('unknown sensor, sensor of another band count, unknown method, bad --compare: InputError before any work', async () => {
  const base = { panPath: holed.panPath, msPath: holed.msPath, methods: ['exp', 'gsa'], protocols: ['fr'] as const, outDir: join(root, 'out-bad') };
  await assert.rejects(
    evaluate({ ...base, sensor: 'Landsat' }),
    (e: Error & { code?: string }) => e.code === 'unknown-sensor' && /known: QuickBird/.test(e.message),
  );
  await assert.rejects(evaluate({ ...base, panGain: 1.5 }), (e: Error & { code?: string }) => e.code === 'bad-mtf-gain' && /1\.5 is outside/.test(e.message));
  await assert.rejects(
    evaluate({ ...base, sensor: 'WV3' }),
    (e: Error & { code?: string }) => e.code === 'band-count' && /8 bands, but the image has 4/.test(e.message),
  );
  await assert.rejects(evaluate({ ...base, methods: ['exp', 'nosuch'] }), (e: Error & { code?: string }) => e.code === 'unknown-method');
  await assert.rejects(evaluate({ ...base, compare: ['exp', 'brovey'] }), (e: Error & { code?: string }) => e.code === 'compare-method');
  assert.deepEqual(existsSync(base.outDir) ? allFiles(base.outDir) : [], []);
});

test('methods all: networks without installed models are listed as skipped', async () => {
  const { report } = await evaluate({
    panPath: holed.panPath,
    msPath: holed.msPath,
    methods: 'all',
    protocols: ['fr'],
    outDir: join(root, 'out-all'),
    modelsFolder: join(root, 'no-models'),
  });
  assert.deepEqual(
    report.protocols[0]!.methods.map((m) => m.method),
    ['exp', 'brovey', 'gsa', 'mtf-glp'],
  );
  assert.deepEqual(
    report.skipped.map((s) => s.method),
    ['ggpnet', 'premix', 'cf2n'],
  );
  assert.match(report.skipped[0]!.reason, /model not installed/);
});

test('cancel: CancelledError and no partial files', async () => {
  const outDir = join(root, 'out-cancel');
  const controller = new AbortController();
  let steps = 0;
  await assert.rejects(
    evaluate(
      { panPath: holed.panPath, msPath: holed.msPath, methods: ['exp', 'gsa'], protocols: ['rr', 'fr'], outDir },
      { signal: controller.signal, onEvent: (e) => e.type === 'step' && ++steps === 4 && controller.abort() },
    ),
    (e: Error) => e.name === 'CancelledError',
  );
  assert.deepEqual(
    allFiles(outDir).filter((f) => f.includes('.partial') || f.startsWith('report')),
    [],
  );
});

test("an earlier run's outputs stop a new run before any work unless overwrite", async () => {
  const outDir = join(root, 'out-rerun');
  await evaluate({ panPath: holed.panPath, msPath: holed.msPath, methods: ['exp'], protocols: ['fr'], outDir });
  for (const f of ['report.json', 'report.csv', 'report.html']) rmSync(join(outDir, f));
  await assert.rejects(
    evaluate({ panPath: holed.panPath, msPath: holed.msPath, methods: ['exp'], protocols: ['fr'], outDir }),
    (e: Error & { code?: string }) => e.code === 'output-exists' && /fr\/exp\.tif/.test(e.message),
  );
  const { report } = await evaluate({ panPath: holed.panPath, msPath: holed.msPath, methods: ['exp'], protocols: ['fr'], outDir, overwrite: true });
  assert.equal(report.protocols[0]!.methods[0]!.method, 'exp');
});

test('threads: a two-tile scene assessed by worker threads gives the same report values and maps as one thread', async () => {
  // 896 PAN px wide: two full-resolution tiles (core 864), so the workers (one pool for the run) do compute.
  const wide = await writeSyntheticScene({ folder: join(root, 'wide'), panWidth: 896, panHeight: 96, sensor: 'QuickBird', noData: { value: 0, borderPx: 24 } });
  const run = (threads: number) =>
    evaluate({ panPath: wide.panPath, msPath: wide.msPath, methods: ['exp', 'gsa'], protocols: ['fr'], outDir: join(root, `out-threads-${threads}`), threads });
  const [one, two] = [await run(1), await run(2)];
  const rows = (r: typeof one) => r.report.protocols[0]!.methods.map((m) => ({ method: m.method, indices: m.indices, excluded: m.excluded }));
  assert.deepEqual(rows(two), rows(one));
  assert.ok(
    rows(one).every((m) => m.excluded.dLambdaBlocks! > 0 && Number.isFinite(m.indices.QNR)),
    JSON.stringify(rows(one)),
  );
  for (const map of ['maps/fr_gsa_sam_ms.tif', 'maps/fr_exp_sam_ms.tif']) {
    const [a, b] = [1, 2].map((t) => {
      const ds = gdal.open(join(root, `out-threads-${t}`, map));
      const data = ds.bands.get(1).pixels.read(0, 0, 896, 96) as Float32Array;
      ds.close();
      return data;
    });
    assert.ok(
      a!.every((v, i) => Object.is(v, b![i])),
      `${map}: same bits`,
    );
  }
  await assert.rejects(run(0), (e: Error & { code?: string }) => e.code === 'threads' && /threads must be a whole number ≥ 1; got 0/.test(e.message));
});
