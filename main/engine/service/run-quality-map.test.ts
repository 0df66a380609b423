// The spectral distortion map of finished runs, through the engine service (as the app reaches it) on a synthetic scene.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, test } from 'node:test';
import type { JobEvent, JobSnapshot, RasterLayer } from '../../../preload/contract.ts';
import { interp23tap } from '../dsp/interp23tap.ts';
import { gdal } from '../io/gdal.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { EngineService } from './engine-service.ts';
import { SAM_MS_DESCRIPTION, writeRunQualityMap } from './run-quality-map.ts';

const root = tempFolder('run-quality-map');
const rasters = new Map<string, string>();
const events: JobEvent[] = [];
const service = new EngineService({ event: (e) => events.push(e), raster: (id, path) => rasters.set(id, path) });
let sceneId = '';

before(async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'scene'), name: 'area', panWidth: 200, panHeight: 168 });
  sceneId = (await service.sceneOpen({ panPath: scene.panPath, msPath: scene.msPath, cacheDir: join(root, 'cache') })).sceneId;
});

async function finishedRun(method: string): Promise<JobSnapshot> {
  mkdirSync(join(root, 'runs', method), { recursive: true });
  const started = await service.jobStart({
    request: { sceneId, method, device: 'cpu', tileSizePx: 128, previewExtent: null, adapt: false },
    outPath: join(root, 'runs', method, `${method}.tif`),
  });
  for (;;) {
    const job = (await service.jobList()).find((j) => j.jobId === started.jobId)!;
    if (job.state === 'done') return job;
    if (job.state !== 'queued' && job.state !== 'running') assert.fail(`run ${method} ended ${job.state}: ${job.error?.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readMap(path: string): Promise<{ values: Float32Array; gt: number[]; wkt: string; width: number; height: number; description: string }> {
  const ds = await gdal.openAsync(path);
  try {
    const { x: width, y: height } = ds.rasterSize;
    const values = new Float32Array(width * height);
    await ds.bands.get(1).pixels.readAsync(0, 0, width, height, values);
    return { values, gt: ds.geoTransform!, wkt: ds.srs!.toWKT(), width, height, description: ds.bands.get(1).description };
  } finally {
    ds.close();
  }
}

async function gridOf(path: string): Promise<{ gt: number[]; wkt: string; width: number; height: number }> {
  const ds = await gdal.openAsync(path);
  try {
    return { gt: ds.geoTransform!, wkt: ds.srs!.toWKT(), width: ds.rasterSize.x, height: ds.rasterSize.y };
  } finally {
    ds.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

test('a brovey run gets a spectral distortion layer on its grid, served only once registered', async () => {
  const job = await finishedRun('brovey');
  const layerId = `${job.jobId}-sam-ms`;
  assert.equal(rasters.has(layerId), false);
  await assert.rejects(service.pixelRead({ x: 0, y: 0, layerIds: [layerId] }), /no layer/);

  const layer: RasterLayer = await service.qualityMapCompute({ jobId: job.jobId });
  assert.equal(layer.layerId, layerId);
  assert.equal(layer.kind, 'quality');
  assert.equal(layer.bandCount, 1);
  const path = rasters.get(layerId);
  assert.ok(path, 'the map is registered with the sink');
  assert.equal(dirname(path), join(root, 'runs', 'brovey'), 'the map is written beside the run output');
  assert.deepEqual(
    readdirSync(dirname(path)).filter((f) => f.includes('partial')),
    [],
    'no partial file is left',
  );

  const output = await gridOf(join(root, 'runs', 'brovey', 'brovey.tif'));
  const map = await readMap(path);
  assert.deepEqual([map.width, map.height], [output.width, output.height]);
  assert.deepEqual(map.gt, output.gt);
  assert.equal(map.wkt, output.wkt);
  assert.equal(map.description, SAM_MS_DESCRIPTION);
  assert.deepEqual([layer.width, layer.height, layer.extent], [job.result!.layer.width, job.result!.layer.height, job.result!.layer.extent]);

  // 200×168 px: the area is 192×160 (multiples of 32), NaN outside it.
  const finite = [...map.values].filter(Number.isFinite);
  assert.equal(finite.length, 192 * 160);
  assert.ok(Number.isNaN(map.values[199]!) && Number.isNaN(map.values[167 * 200]!));
  assert.ok(
    finite.every((v) => v >= 0 && v <= 90),
    'angles between non-negative spectra lie in 0…90°',
  );
  assert.ok(percentile(finite, 98) > 0, 'a fusion is not the upsampled MS');
  assert.ok(layer.stats[0]!.p98 > 0 && layer.stats[0]!.p98 <= 90);

  // Readable by the pixel inspector, and a second call returns the same layer without writing again.
  const reading = await service.pixelRead({ x: layer.extent[0] + 10, y: layer.extent[3] - 10, layerIds: [layerId] });
  assert.equal(reading.layers[0]!.values!.length, 1);
  assert.ok(Number.isFinite(reading.layers[0]!.values![0]));
  assert.deepEqual(await service.qualityMapCompute({ jobId: job.jobId }), layer);
});

test('an output equal to the interp23tap-upsampled MS has zero spectral distortion; exp has little', async () => {
  const scene = await writeSyntheticScene({ folder: join(root, 'exact'), name: 'exact', panWidth: 128, panHeight: 128 });
  const ms = await gdal.openAsync(scene.msPath);
  const pan = await gdal.openAsync(scene.panPath);
  const { x: w, y: h } = ms.rasterSize;
  const data = new Float64Array(ms.bands.count() * w * h);
  for (let b = 0; b < ms.bands.count(); b++) await ms.bands.get(b + 1).pixels.readAsync(0, 0, w, h, data.subarray(b * w * h, (b + 1) * w * h));
  const upsampled = interp23tap({ bands: ms.bands.count(), width: w, height: h, data }, 4);
  const fusedPath = join(root, 'exact', 'upsampled.tif');
  const writer = await GeoTiffWriter.create({
    path: fusedPath,
    width: 128,
    height: 128,
    bandDescriptions: ['Blue', 'Green', 'Red', 'NIR'],
    dataType: 'Float32',
    geoTransform: pan.geoTransform! as unknown as GeoTransform,
    crsWkt: pan.srs!.toWKT(),
    noData: null,
  });
  await writer.write({ colOff: 0, rowOff: 0, width: 128, height: 128 }, { ...upsampled, data: Float32Array.from(upsampled.data) });
  await writer.commit();
  ms.close();
  pan.close();
  const mapPath = join(root, 'exact', 'upsampled.sam-ms.tif');
  await writeRunQualityMap({ fusedPath, files: scene, sensor: null, outPath: mapPath });
  const exact = [...(await readMap(mapPath)).values];
  assert.ok(
    exact.every((v) => Number.isFinite(v) && v < 1e-3),
    `max angle ${Math.max(...exact)}° for the upsampled MS itself`,
  );

  // exp upsamples bicubically, not with interp23tap: the same spectra up to small differences at edges.
  const exp = await service.qualityMapCompute({ jobId: (await finishedRun('exp')).jobId });
  const values = [...(await readMap(rasters.get(exp.layerId)!)).values].filter(Number.isFinite);
  assert.ok(percentile(values, 50) < 1, `median angle ${percentile(values, 50)}° for exp`);
});

test('a run that is not finished has no quality map', async () => {
  await assert.rejects(service.qualityMapCompute({ jobId: 'nope' }), /no job nope/);
});
