/**
 * @module bench/evaluate-speed
 * `npm run bench -- evaluate [--size N] [--method M] [--threads T]`: full-resolution assessment (D_λ, D_s, QNR,
 * D_λ(K), HQNR over the whole scene, streamed) in one thread and in T worker threads [default: one per core], against
 * one CPU sharpening run of the same generated N×N PAN scene, all in the same run. The target: a 12000² scene
 * assessed within one sharpening run's time. Columns: `assess1S`/`assessTtS` wall seconds of the pass (PAN low-pass
 * excluded: `panLowPassS`, shared by every method), `assessTtOverSharpen` = (T-thread pass + low-pass) / sharpening,
 * CPU seconds and peak RSS of each, `sameIndices` (the T-thread indices equal the 1-thread ones bit for bit). Prints
 * a table, writes bench/results/evaluate-speed.json. Not a test: timings depend on the machine and its load.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAssessmentThreads, sharedBlock } from '../main/engine/evaluate/assessment-pool.ts';
import { fullResolutionPass, type FullResolutionPassOptions, panLowResolution } from '../main/engine/evaluate/full-resolution-pass.ts';
import { gdal } from '../main/engine/io/gdal.ts';
import { sharpen } from '../main/engine/jobs/sharpen.ts';
import type { FullResolutionResult } from '../main/engine/metrics/full-resolution-accumulator.ts';
import { tempFolder } from '../main/engine/testing/temp-folder.ts';
import { benchScene } from './bench-scene.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

interface AssessmentRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRss: number;
  readonly indices: FullResolutionResult;
}

// CPU seconds (process-wide: GDAL, ORT and worker threads included) are steadier than wall time on a shared machine.
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** One full-resolution assessment of the whole area (PAN low-pass excluded: it is shared by every method of a run). */
async function assess(options: FullResolutionPassOptions): Promise<AssessmentRun> {
  const sampler = rssSampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const indices = await fullResolutionPass(options);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cpuSeconds: cpuSeconds(process.cpuUsage(cpu0)), peakRss: sampler.stop(), indices };
}

export async function runEvaluateSpeed(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { size: { type: 'string' }, method: { type: 'string' }, folder: { type: 'string' }, threads: { type: 'string' } },
  });
  const size = Number(values.size ?? 4096);
  const method = values.method ?? 'gsa';
  const threads = Number(values.threads ?? defaultAssessmentThreads());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be an integer ≥ 1; got ${values.threads}`);
  const folder = values.folder ?? tempFolder('bench-evaluate');
  const name = `bench${size}`;
  const { panPath, msPath } = await benchScene({ folder, name, sizePx: size, sensor: 'QuickBird' });
  const fusedPath = join(folder, `${name}_${method}.tif`);
  process.stderr.write(`sharpening with ${method} on the CPU…\n`);
  const sampler = rssSampler();
  const cpu0 = process.cpuUsage();
  const sharpened = await sharpen({ panPath, msPath, method, outPath: fusedPath, device: 'cpu', dataType: 'Float32', overwrite: true });
  const sharpenRss = sampler.stop();
  const sharpenCpu = cpuSeconds(process.cpuUsage(cpu0));
  const open = await Promise.all([panPath, msPath, fusedPath].map((p) => gdal.openAsync(p)));
  const [pan, ms, fused] = open.map((dataset, i) => ({ dataset, path: [panPath, msPath, fusedPath][i]!, colOff: 0, rowOff: 0 }));
  const width = Math.floor(size / 32) * 32;
  process.stderr.write('PAN low-pass (imresize 1/4)…\n');
  const t0 = performance.now();
  const panLowRes = sharedBlock(await panLowResolution(pan!, width, width, 4));
  const panLowPassS = (performance.now() - t0) / 1000;
  const options: FullResolutionPassOptions = {
    pan: pan!,
    ms: ms!,
    fused: fused!,
    bands: 4,
    width,
    height: width,
    ratio: 4,
    sensor: 'QuickBird',
    panLowRes,
    samMap: null,
  };
  process.stderr.write('assessing at full resolution, 1 thread…\n');
  const one = await assess({ ...options, threads: 1 });
  process.stderr.write(`assessing at full resolution, ${threads} worker threads…\n`);
  const many = await assess({ ...options, threads });
  open.forEach((d) => d.close());
  const sharpenS = sharpened.elapsedMs / 1000;
  const rows: Row[] = [
    {
      panPx: `${size}²`,
      method,
      sharpenS,
      assess1S: one.seconds,
      [`assess${threads}tS`]: many.seconds,
      speedup: one.seconds / many.seconds,
      [`assess${threads}tOverSharpen`]: (many.seconds + panLowPassS) / sharpenS,
      panLowPassS,
      sharpenCpuS: sharpenCpu,
      assess1CpuS: one.cpuSeconds,
      [`assess${threads}tCpuS`]: many.cpuSeconds,
      sharpenPeakRssMiB: Math.round(sharpenRss / 2 ** 20),
      assess1PeakRssMiB: Math.round(one.peakRss / 2 ** 20),
      [`assess${threads}tPeakRssMiB`]: Math.round(many.peakRss / 2 ** 20),
      sameIndices: JSON.stringify(one.indices) === JSON.stringify(many.indices),
      QNR: many.indices.QNR,
      HQNR: many.indices.HQNR,
    },
  ];
  printTable(rows);
  const [load1, load5] = loadavg();
  const path = saveJson('evaluate-speed', { machine: machine(), date: new Date().toISOString(), threads, loadAverageAfter: [load1, load5], rows });
  process.stdout.write(`\nsaved ${path}\n`);
}
