/**
 * @module bench/adaptation-cost
 * `npm run bench -- adapt [--size N] [--methods a,b] [--folder DIR]`: what scene adaptation and the self-check cost
 * next to sharpening, all on the CPU in one run on one generated N×N PAN scene (IKONOS MTF). Per network:
 * `sharpenS` (whole scene, unadapted), `adaptS` (read + degrade the Wald windows, run the network on them, fit and
 * guard), `adaptOverSharpen`, and where a correction was kept, what sharpening with it costs beyond sharpening
 * without (a per-tile extra, so the same share at any size); then `recommendS` (every method, adapted variants, QNR/HQNR of the top three) over the
 * slowest method's sharpening. Adaptation and the self-check work on a bounded window sample, so their cost does
 * not grow with the scene while sharpening grows with its area: the `…At4096` columns scale the measured
 * sharpening time by area (4096²/N²) for scenes this machine cannot sharpen in a benchmark's time. The issue's
 * targets: adaptation ≤ 25 % and recommend < 10 % of sharpening a 4096² scene. `cpuS`/`sharpenCpuS`/`cpuRatioAt4096`:
 * the same in process CPU seconds. Writes bench/results/adaptation-cost.json.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { adaptToScene, type AdaptationRecord } from '../main/engine/adapt/scene-adaptation.ts';
import { openScene } from '../main/engine/io/open-scene.ts';
import { recommend } from '../main/engine/jobs/recommend.ts';
import { sharpen } from '../main/engine/jobs/sharpen.ts';
import { listMethods, resolveMethod } from '../main/engine/methods/registry.ts';
import { readSceneSample } from '../main/engine/methods/scene-sample.ts';
import { resolveValueScale } from '../main/engine/methods/value-scale.ts';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';
import { benchScene } from './bench-scene.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

const TARGET_SIDE = 4096;
// Process CPU seconds (ORT's worker thread included): steadier than wall time on a shared machine.
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

export async function runAdaptationCost(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string' }, methods: { type: 'string' }, folder: { type: 'string' } } });
  const size = Number(values.size ?? 2048);
  const folder = values.folder ?? tempFolder('bench-adapt');
  const name = `adapt${size}`;
  const { panPath, msPath } = await benchScene({ folder, name, sizePx: size, sensor: 'IKONOS' });
  const networks = values.methods
    ? values.methods.split(',')
    : listMethods()
        .filter((e) => e.kind === 'network')
        .map((e) => e.id);
  const areaScale = (TARGET_SIDE * TARGET_SIDE) / (size * size);
  const rows: Row[] = [];
  let slowest = { method: '', seconds: 0, cpuSeconds: 0 };
  for (const id of networks) {
    process.stderr.write(`${id}: sharpening ${size}² on the CPU…\n`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await sharpen({ panPath, msPath, method: id, outPath: join(folder, `${name}_${id}.tif`), device: 'cpu', overwrite: true });
    const sharpenS = (performance.now() - t0) / 1000;
    const sharpenCpuS = cpuSeconds(process.cpuUsage(c0));
    if (sharpenS > slowest.seconds) slowest = { method: id, seconds: sharpenS, cpuSeconds: sharpenCpuS };
    process.stderr.write(`${id}: adapting…\n`);
    const scene = await openScene({ panPath, msPath });
    let adaptS: number;
    let adaptCpuS: number;
    let accepted: boolean;
    let record: AdaptationRecord;
    try {
      const sample = await readSceneSample(scene);
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      record = await adaptToScene({
        scene,
        sample,
        method: resolveMethod(id, scene.bandCount, scene.ratio),
        valueMax: resolveValueScale(scene, sample).valueMax,
        device: 'cpu',
        log: () => undefined,
      });
      adaptS = (performance.now() - t1) / 1000;
      adaptCpuS = cpuSeconds(process.cpuUsage(c1));
      accepted = record.accepted;
    } finally {
      scene.close();
    }
    rows.push({
      measure: `adapt ${id}`,
      sizePx: size,
      seconds: adaptS,
      sharpenS,
      ratio: adaptS / sharpenS,
      ratioAt4096: adaptS / (sharpenS * areaScale),
      cpuS: adaptCpuS,
      sharpenCpuS,
      cpuRatioAt4096: adaptCpuS / (sharpenCpuS * areaScale),
      target: 0.25,
      accepted,
      load1: loadavg()[0]!,
    });
    if (!record.accepted) continue;
    // Sharpening with the correction: the same tiles plus its per-tile inputs (MTF-GLP's output for the -glp shapes).
    process.stderr.write(`${id}: sharpening ${size}² adapted (${record.correction!.kind})…\n`);
    const recordPath = join(folder, `${name}_${id}.adaptation.json`);
    writeFileSync(recordPath, JSON.stringify(record));
    const t3 = performance.now();
    const c3 = process.cpuUsage();
    await sharpen({ panPath, msPath, method: id, adaptFrom: recordPath, outPath: join(folder, `${name}_${id}_adapted.tif`), device: 'cpu', overwrite: true });
    const extraS = (performance.now() - t3) / 1000 - sharpenS;
    const extraCpuS = cpuSeconds(process.cpuUsage(c3)) - sharpenCpuS;
    // The extra is per tile, so its share of sharpening does not change with the scene's size.
    rows.push({
      measure: `adapted sharpening's extra, ${id} (${record.correction!.kind})`,
      sizePx: size,
      seconds: extraS,
      sharpenS,
      ratio: extraS / sharpenS,
      ratioAt4096: extraS / sharpenS,
      cpuS: extraCpuS,
      sharpenCpuS,
      cpuRatioAt4096: extraCpuS / sharpenCpuS,
      target: 0.25,
      accepted: true,
      load1: loadavg()[0]!,
    });
  }
  process.stderr.write('recommend (every method)…\n');
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const result = await recommend({ panPath, msPath, device: 'cpu' });
  const recommendS = (performance.now() - t2) / 1000;
  const recommendCpuS = cpuSeconds(process.cpuUsage(c2));
  rows.push({
    measure: `recommend (${result.ranking.length} entries) vs ${slowest.method}`,
    sizePx: size,
    seconds: recommendS,
    sharpenS: slowest.seconds,
    ratio: recommendS / slowest.seconds,
    ratioAt4096: recommendS / (slowest.seconds * areaScale),
    cpuS: recommendCpuS,
    sharpenCpuS: slowest.cpuSeconds,
    cpuRatioAt4096: recommendCpuS / (slowest.cpuSeconds * areaScale),
    target: 0.1,
    accepted: null,
    load1: loadavg()[0]!,
  });
  printTable(rows);
  const path = saveJson('adaptation-cost', { machine: machine(), size, date: new Date().toISOString(), recommended: result.recommended, rows });
  process.stderr.write(`wrote ${path}\n`);
}
