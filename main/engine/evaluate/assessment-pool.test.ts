// The passes computed in worker threads: the same bits as in the calling thread (indices and maps) for any thread
// count, on a scene with a nodata border and a hole; cancellation and a dying worker stop the pass with a clear
// error, terminate the workers and leave no partial map.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancelledError, EngineCrashedError } from '../errors.ts';
import { type Dataset, gdal } from '../io/gdal.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { AssessmentPool, type ThreadingOptions } from './assessment-pool.ts';
import { fullResolutionPass, panLowResolution } from './full-resolution-pass.ts';
import { createMapWriter, type MapGrid } from './map-writer.ts';
import { type RasterSource, readWindow64 } from './read-raster-window.ts';
import { reducedResolutionPass } from './reduced-resolution-pass.ts';

const folder = tempFolder('assessment-pool');
const W = 352;
const H = 320;
const open: Dataset[] = [];
let pan: RasterSource;
let ms: RasterSource;
let truth: RasterSource;
let otherMs: RasterSource;
let crsWkt: string;

async function source(path: string): Promise<RasterSource> {
  const dataset = await gdal.openAsync(path);
  open.push(dataset);
  return { dataset, path, colOff: 0, rowOff: 0 };
}

/** A copy of `path` with a 7×5 hole of NaN at (col, row) in band 2. */
async function withHole(path: string, col: number, row: number): Promise<string> {
  const holed = path.replace(/\.tif$/, '_hole.tif');
  copyFileSync(path, holed);
  const ds = await gdal.openAsync(holed, 'r+');
  await ds.bands.get(2).pixels.writeAsync(col, row, 7, 5, new Float32Array(35).fill(NaN));
  ds.close();
  return holed;
}

/** Runs `pass` with a map writer the way the evaluate job does: committed on success, aborted on failure. */
async function withMap<T>(name: string, grid: MapGrid, pass: (map: GeoTiffWriter) => Promise<T>): Promise<{ result: T; map: Float64Array }> {
  const path = join(folder, `${name}.tif`);
  const writer = await createMapWriter({ path, grid, description: name, overwrite: false });
  let result: T;
  try {
    result = await pass(writer);
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  const data = (await readWindow64(await source(path), { colOff: 0, rowOff: 0, width: grid.width, height: grid.height })).data;
  return { result, map: data };
}

const grid = (width: number, height: number): MapGrid => ({ width, height, geoTransform: [500000, 0.5, 0, 4600000, 0, -0.5], crsWkt });

/** Same values, NaN where NaN (a map of the same bits). */
function assertSameMap(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${what}: pixel ${i} is ${got[i]}, expected ${want[i]}`);
}

before(async () => {
  const noData = { value: 0, borderPx: 12 };
  const scene = await writeSyntheticScene({ folder, panWidth: W, panHeight: H, sensor: 'QuickBird', dataType: 'Float32', noData, writeTruth: true });
  const other = await writeSyntheticScene({ folder, name: 'other', panWidth: W, panHeight: H, sensor: 'QuickBird', dataType: 'Float32', noData, seed: 2 });
  pan = await source(scene.panPath);
  ms = await source(scene.msPath);
  truth = await source(await withHole(scene.truthPath!, 200, 150));
  otherMs = await source(await withHole(other.msPath, 40, 30));
  crsWkt = pan.dataset.srs!.toWKT();
});

after(() => open.forEach((d) => d.close()));

test('full resolution: 1, 2 and 3 threads give the same indices and SAM map, bit for bit', async () => {
  const panLowRes = await panLowResolution(pan, W, H, 4);
  const run = (threads: number) =>
    withMap(`fr_${threads}`, grid(W, H), (samMap) =>
      fullResolutionPass({ pan, ms, fused: truth, bands: 4, width: W, height: H, ratio: 4, sensor: 'QuickBird', panLowRes, samMap, coreSizePx: 96, threads }),
    );
  const one = await run(1);
  assert.ok(
    one.result.excluded.dLambdaBlocks > 10 && one.result.excluded.dLambdaKBlocks > one.result.excluded.dLambdaBlocks,
    JSON.stringify(one.result.excluded),
  );
  for (const k of ['D_lambda', 'D_s', 'QNR', 'D_lambda_K', 'HQNR'] as const)
    assert.ok(Number.isFinite(one.result[k]) && one.result[k] > 0, `${k} = ${one.result[k]}`);
  for (const threads of [2, 3]) {
    const many = await run(threads);
    assert.deepEqual(many.result, one.result, `${threads} threads`);
    assertSameMap(many.map, one.map, `SAM map, ${threads} threads`);
  }
});

test('reduced resolution: 1 thread, 3 threads and a pool kept across passes give the same indices and map bits', async () => {
  const [w, h] = [W / 4, H / 4];
  const run = (name: string, threading: ThreadingOptions) =>
    withMap(`rr_${name}`, grid(w, h), (samMap) =>
      reducedResolutionPass({ reference: ms, fused: otherMs, bands: 4, width: w, height: h, ratio: 4, bitDepth: 11, samMap, coreSizePx: 32, ...threading }),
    );
  const one = await run('1', { threads: 1 });
  assert.ok(one.result.excluded.pixels > 35 && one.result.excluded.qWindows > 0, JSON.stringify(one.result.excluded));
  const many = await run('3', { threads: 3 });
  assert.deepEqual(many.result, one.result);
  assertSameMap(many.map, one.map, 'SAM map');
  // The evaluate job's way: one pool, a full-resolution pass and then this one on it.
  const pool = new AssessmentPool({ threads: 2 });
  try {
    const frOptions = { pan, ms, fused: truth, bands: 4, width: W, height: H, ratio: 4, sensor: 'QuickBird', samMap: null, coreSizePx: 160 };
    const fr = await fullResolutionPass({ ...frOptions, pool: () => pool });
    const frOne = await fullResolutionPass(frOptions);
    assert.deepEqual(fr, frOne);
    const shared = await run('pool', { pool: () => pool });
    assert.deepEqual(shared.result, one.result);
    assertSameMap(shared.map, one.map, 'SAM map, shared pool');
  } finally {
    await pool.close();
  }
});

test('cancelled during the workers: CancelledError, no map left, workers gone', async () => {
  const controller = new AbortController();
  let progress = 0;
  const ctx = { signal: controller.signal, onEvent: () => (++progress === 2 ? controller.abort() : undefined) };
  await assert.rejects(
    withMap('fr_cancel', grid(W, H), (samMap) =>
      fullResolutionPass({ pan, ms, fused: truth, bands: 4, width: W, height: H, ratio: 4, sensor: 'QuickBird', samMap, coreSizePx: 64, threads: 2 }, ctx),
    ),
    (e: Error) => e instanceof CancelledError,
  );
  assert.equal(progress, 2, 'no tile reported after the abort');
  assert.deepEqual(
    readdirSync(folder).filter((f) => f.startsWith('fr_cancel')),
    [],
  );
});

test('a worker that dies fails the pass with a clear error and leaves no map', async () => {
  const dies = new URL(
    `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));")}`,
  );
  await assert.rejects(
    withMap('fr_crash', grid(W, H), (samMap) =>
      fullResolutionPass({
        pan,
        ms,
        fused: truth,
        bands: 4,
        width: W,
        height: H,
        ratio: 4,
        sensor: 'QuickBird',
        samMap,
        coreSizePx: 96,
        threads: 2,
        workerEntry: dies,
      }),
    ),
    (e: Error) =>
      e instanceof EngineCrashedError && /quality-assessment worker thread [12] stopped \(exit code 3\); the indices could not be computed/.test(e.message),
  );
  assert.deepEqual(
    readdirSync(folder).filter((f) => f.startsWith('fr_crash')),
    [],
  );
  // A worker that reports an error: it comes back as the same kind of error.
  const throws = new URL(
    `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', (m) => parentPort.postMessage({ kind: 'error', id: m.id, error: { kind: 'InputError', name: 'InputError', code: 'read-failed', message: 'cannot read tile', details: {} } }));")}`,
  );
  await assert.rejects(
    reducedResolutionPass({
      reference: ms,
      fused: otherMs,
      bands: 4,
      width: W / 4,
      height: H / 4,
      ratio: 4,
      bitDepth: 11,
      samMap: null,
      coreSizePx: 32,
      threads: 2,
      workerEntry: throws,
    }),
    (e: Error & { code?: string }) => e.name === 'InputError' && e.code === 'read-failed' && e.message === 'cannot read tile',
  );
});
