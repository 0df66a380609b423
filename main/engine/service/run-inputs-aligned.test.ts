// Metrics and quality maps of runs on scenes whose MS the app had to align: they read the inputs as the run did.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Extent, JobSnapshot } from '../../../preload/contract.ts';
import { openRunInputs } from '../evaluate/run-inputs.ts';
import { writeSyntheticScene } from '../testing/synthetic-scene.ts';
import { tempFolder } from '../testing/temp-folder.ts';
import { EngineService } from './engine-service.ts';

const root = tempFolder('run-inputs-aligned');
const service = new EngineService({ event: () => undefined, raster: () => undefined });

async function finishedRun(sceneId: string, name: string, previewExtent: Extent | null): Promise<JobSnapshot> {
  mkdirSync(join(root, 'runs'), { recursive: true });
  const started = await service.jobStart({
    request: { sceneId, method: 'gsa', device: 'cpu', tileSizePx: 128, previewExtent, adapt: false },
    outPath: join(root, 'runs', `${name}.tif`),
  });
  for (;;) {
    const job = (await service.jobList()).find((j) => j.jobId === started.jobId)!;
    if (job.state === 'done') return job;
    if (job.state !== 'queued' && job.state !== 'running') assert.fail(`run ${name} ended ${job.state}: ${job.error?.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const [label, offset] of [
  ['MS starting 6×2 PAN pixels off the PAN origin (aligned pixels, not on a multiple of the ratio)', [6, 2]],
  ['MS shifted by half a PAN pixel (resampled by the app)', [1.5, 0.5]],
] as const) {
  test(`${label}: metrics and the quality map of full and preview runs`, async () => {
    const name = `off${offset.join('-')}`.replace(/\./g, 'p');
    const files = await writeSyntheticScene({ folder: join(root, name), name, panWidth: 200, panHeight: 184, msOffsetPx: offset });
    const view = await service.sceneOpen({ ...files, cacheDir: join(root, 'cache') });
    if (!Number.isInteger(offset[0])) assert.match(view.notes.join(' '), /resampled/);
    const full = await finishedRun(view.sceneId, `${name}-full`, null);
    const [x0, y0, x1, y1] = view.extent;
    // A preview whose corner is not on an MS pixel edge.
    const preview = await finishedRun(view.sceneId, `${name}-preview`, [x0 + 13.3, y0 + 9.1, x1 - 7.7, y1 - 11.2]);
    for (const job of [full, preview]) {
      const report = await service.metricsCompute({ jobId: job.jobId });
      assert.equal(report.status, 'ok', report.note);
      assert.ok(report.window && report.window.width >= 32 && report.window.outputWidth === job.result!.width, JSON.stringify(report.window));
      const qnr = report.indices.find((i) => i.name === 'QNR')!;
      assert.ok(qnr.value > 0.5 && qnr.value <= 1, `QNR ${qnr.value}`);
      const layer = await service.qualityMapCompute({ jobId: job.jobId });
      assert.ok(layer.stats[0]!.p98 > 0 && layer.stats[0]!.p98 < 20, `p98 angle ${layer.stats[0]!.p98}° (a misregistered MS gives tens of degrees)`);
    }
  });
}

test('the run inputs of an output put the MS edge at the phase and refuse an output off the PAN grid', async () => {
  const files = await writeSyntheticScene({ folder: join(root, 'phase'), name: 'phase', panWidth: 96, panHeight: 96, msOffsetPx: [6, 2] });
  // Region starts at PAN (6, 2); an output at PAN (7, 3) meets its first MS edge at output pixel (3, 3).
  const inputs = await openRunInputs(files, { path: 'out.tif', geoTransform: [500000 + 7 * 0.5, 0.5, 0, 4600000 - 3 * 0.5, 0, -0.5], width: 40, height: 40 });
  try {
    assert.deepEqual(inputs.phase, { col: 3, row: 3 });
    assert.deepEqual([inputs.pan.colOff, inputs.pan.rowOff, inputs.ms.colOff, inputs.ms.rowOff], [10, 6, 1, 1]);
    assert.deepEqual([inputs.width, inputs.height], [36, 36]);
  } finally {
    inputs.close();
  }
  await assert.rejects(
    openRunInputs(files, { path: 'off.tif', geoTransform: [500000.2, 0.5, 0, 4600000, 0, -0.5], width: 40, height: 40 }),
    /not on the PAN grid/,
  );
});

test('ratio 2 with the MS one PAN pixel (half an MS pixel) off: metrics on a window whose side is a multiple of 32', async () => {
  const files = await writeSyntheticScene({ folder: join(root, 'r2'), name: 'r2', panWidth: 256, panHeight: 256, ratio: 2, msOffsetPx: [1, 1] });
  const view = await service.sceneOpen({ ...files, cacheDir: join(root, 'cache') });
  const job = await finishedRun(view.sceneId, 'r2-full', null);
  const report = await service.metricsCompute({ jobId: job.jobId });
  assert.equal(report.status, 'ok', report.note);
  assert.equal(report.window!.width % 32, 0);
  assert.equal(report.window!.width, 224);
});
