/**
 * @module bench/evaluate-speed
 * `npm run bench -- evaluate [--size N] [--method M]`: full-resolution assessment (D_λ, D_s, QNR, D_λ(K), HQNR over
 * the whole scene, streamed) against one CPU sharpening run of the same scene, on a generated N×N PAN scene. The
 * issue's target: a 12000² scene assessed within one sharpening run's time. Prints a table, writes
 * bench/results/evaluate-speed.json. Not a test: timings depend on the machine and its load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fullResolutionPass, panLowResolution } from '../main/engine/evaluate/full-resolution-pass.ts';
import { gdal } from '../main/engine/io/gdal.ts';
import { sharpen } from '../main/engine/jobs/sharpen.ts';
import { writeSyntheticScene } from '../main/engine/testing/synthetic-scene.ts';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

export async function runEvaluateSpeed(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { size: { type: 'string' }, method: { type: 'string' }, folder: { type: 'string' } } });
  const size = Number(values.size ?? 4096);
  const method = values.method ?? 'gsa';
  const folder = values.folder ?? tempFolder('bench-evaluate');
  const name = `bench${size}`;
  const panPath = join(folder, `${name}_pan.tif`);
  const msPath = join(folder, `${name}_ms.tif`);
  if (!existsSync(panPath) || !existsSync(msPath)) {
    process.stderr.write(`generating a ${size}×${size} scene in ${folder}…\n`);
    await writeSyntheticScene({ folder, name, panWidth: size, panHeight: size, sensor: 'QuickBird' });
  }
  const fusedPath = join(folder, `${name}_${method}.tif`);
  process.stderr.write(`sharpening with ${method} on the CPU…\n`);
  let sampler = rssSampler();
  const cpu0 = process.cpuUsage();
  const sharpened = await sharpen({ panPath, msPath, method, outPath: fusedPath, device: 'cpu', dataType: 'Float32', overwrite: true });
  const sharpenRss = sampler.stop();
  const cpu1 = process.cpuUsage(cpu0);
  process.stderr.write('assessing at full resolution…\n');
  const open = [panPath, msPath, fusedPath].map((p) => gdal.open(p));
  const [pan, ms, fused] = open.map((dataset, i) => ({ dataset: dataset!, path: [panPath, msPath, fusedPath][i]!, colOff: 0, rowOff: 0 }));
  const width = Math.floor(size / 32) * 32;
  sampler = rssSampler();
  const cpu2 = process.cpuUsage();
  const t0 = performance.now();
  const panLowRes = await panLowResolution(pan!, width, width, 4);
  const t1 = performance.now();
  const indices = await fullResolutionPass({ pan: pan!, ms: ms!, fused: fused!, bands: 4, width, height: width, ratio: 4, sensor: 'QuickBird', panLowRes, samMap: null });
  const t2 = performance.now();
  const assessRss = sampler.stop();
  const cpu3 = process.cpuUsage(cpu2);
  // CPU seconds (process-wide: GDAL and ORT threads included) are steadier than wall time on a shared machine.
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  open.forEach((d) => d.close());
  const sharpenS = sharpened.elapsedMs / 1000;
  const assessS = (t2 - t0) / 1000;
  const rows: Row[] = [
    {
      panPx: `${size}²`,
      method,
      sharpenS,
      assessS,
      panLowPassS: (t1 - t0) / 1000,
      assessOverSharpen: assessS / sharpenS,
      sharpenCpuS: cpuSeconds(cpu1),
      assessCpuS: cpuSeconds(cpu3),
      cpuRatio: cpuSeconds(cpu3) / cpuSeconds(cpu1),
      assessMPps: (width * width) / 1e6 / assessS,
      sharpenPeakRssMiB: Math.round(sharpenRss / 2 ** 20),
      assessPeakRssMiB: Math.round(assessRss / 2 ** 20),
      QNR: indices.QNR,
      HQNR: indices.HQNR,
    },
  ];
  printTable(rows);
  const path = saveJson('evaluate-speed', { machine: machine(), date: new Date().toISOString(), rows });
  process.stdout.write(`\nsaved ${path}\n`);
}
