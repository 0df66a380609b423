// The app's Sensor & bands choice through the engine service: the view, the layers, runs and metrics follow it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { EngineService } from './engine-service.ts';

const root = tempFolder('scene-layout');

test('an 8-band scene without names: guessed, then set by the user; runs, metrics and layers follow', async () => {
  const service = new EngineService({ event: () => undefined, raster: () => undefined });
  const files = await writeSyntheticScene({
    folder: join(root, 'eight'),
    name: 'eight',
    panWidth: 128,
    panHeight: 128,
    bands: 8,
    bandNames: 'none',
    sensor: null,
  });
  const view = await service.sceneOpen({ ...files, cacheDir: join(root, 'cache') });
  assert.deepEqual([view.sensor, view.layout.bandsGuessed, view.layout.bandSource], [null, true, 'band-count']);
  assert.equal(view.layers.find((l) => l.kind === 'ms')!.bandDescriptions[4], 'Red');
  assert.match(view.notes.join(' '), /guessed from the band count/);
  assert.ok(view.layout.presets.some((p) => p.id === 'worldview-3') && view.layout.sensors.includes('WorldView-3'));

  await assert.rejects(
    service.sceneSetLayout({ sceneId: view.sceneId, sensor: null, bandNames: ['Blue', 'Green', 'Red', 'NIR'] }),
    /4 band name\(s\) given .* which has 8 bands/,
  );
  const names = ['C', 'B', 'G', 'Y', 'Red', 'RE', 'NIR1', 'NIR2'].map((n) => (n === 'B' ? 'Blue' : n === 'G' ? 'Green' : n));
  const set = await service.sceneSetLayout({ sceneId: view.sceneId, sensor: 'WV03', bandNames: names });
  assert.deepEqual([set.sensor, set.layout.sensorSource, set.layout.bandsGuessed, set.layout.bandSource], ['WorldView-3', 'user', false, 'user']);
  assert.deepEqual(set.layers.find((l) => l.kind === 'ms')!.bandDescriptions, names);
  assert.ok(!set.notes.some((n) => n.includes('guessed')));

  mkdirSync(join(root, 'runs'), { recursive: true });
  const started = await service.jobStart({
    request: { sceneId: view.sceneId, method: 'brovey', device: 'cpu', tileSizePx: 128, previewExtent: null, adapt: false },
    outPath: join(root, 'runs', 'b.tif'),
  });
  let job = started;
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    job = (await service.jobList()).find((j) => j.jobId === started.jobId)!;
  }
  assert.equal(job.state, 'done', job.error?.message);
  assert.deepEqual(job.result!.layer.bandDescriptions, names);
  const report = await service.metricsCompute({ jobId: job.jobId });
  assert.equal(report.status, 'ok', report.note);
  assert.match(report.note, /sensor MTF: WorldView-3/);
});
