/**
 * @module main/cli/batch-command
 * `panforge batch`: sharpen many scenes with one or more methods, one engine child per (scene, method) as
 * `sharpen` does. An output already under its final name is complete (outputs appear only when whole), so a rerun
 * after a crash or Ctrl-C skips it and redoes only the rest. A failing scene is recorded and the run goes on; the
 * report (JSON and CSV in the output folder, one pair per shard) lists every (scene, method) with its status, and
 * the exit code says whether any failed.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeError } from '../engine/errors.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import type { sharpenInChild } from '../engine/service/sharpen-process.ts';
import type { OutputFormat } from '../engine/write/creation-options.ts';
import type { Compression } from '../engine/write/geotiff-writer.ts';
import { batchReport, type BatchRow, writeBatchReport } from './batch-report.ts';
import {
  checkPattern,
  DEFAULT_PATTERN,
  outputName,
  parseShard,
  scenesInFolder,
  scenesInList,
  shardScenes,
  type BatchScene,
  type SceneListing,
  type Shard,
} from './batch-scenes.ts';
import { parseCommandLine } from './command-line.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { checkMethodName, integerOption, listOption, oneOf } from './option-values.ts';
import { checkOutputFormat, GEOTIFF_OPTIONS, parseCreationOptions } from './output-format.ts';
import { UsageError } from './usage-error.ts';

const OPTIONS = {
  input: { type: 'string' },
  list: { type: 'string' },
  methods: { type: 'string' },
  'out-dir': { type: 'string' },
  pattern: { type: 'string' },
  shard: { type: 'string' },
  tile: { type: 'string' },
  device: { type: 'string' },
  ...GEOTIFF_OPTIONS,
  overwrite: { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export async function commandBatch(argv: string[]): Promise<number> {
  const settings = await parseBatchSettings(argv);
  const { listing, mine, jobs } = planBatch(settings);
  const { sharpenInChild } = await import('../engine/service/sharpen-process.ts');
  const started = Date.now();
  const rows = await runBatch(settings, jobs, sharpenInChild);
  const report = batchReport({ shard: settings.shard, listing, scenesInShard: mine.length, methods: settings.methods, outDir: settings.outDir, started, rows });
  writeBatchReport(report);
  const { summary } = report;
  if (settings.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (!settings.quietOnly) {
    process.stderr.write(
      `batch: ${summary.done} done, ${summary.complete} already complete, ${summary.failed} failed${summary.cancelled ? `, ${summary.cancelled} cancelled` : ''} in ${formatSeconds(report.seconds)}; report: ${report.reportPaths.json}\n`,
    );
  }
  if (summary.cancelled > 0) return ExitCode.cancelled;
  return summary.failed > 0 ? ExitCode.batchFailures : ExitCode.ok;
}

interface BatchSettings {
  /** --input DIR, else --list FILE. */
  readonly input: string | undefined;
  readonly list: string | undefined;
  readonly methods: readonly string[];
  readonly pattern: string;
  readonly shard: Shard;
  readonly tileSizePx: number;
  readonly device: DeviceRequest;
  readonly compression: Compression;
  readonly creationOptions: readonly string[];
  readonly outDir: string;
  readonly format: OutputFormat;
  readonly float32: boolean;
  readonly overwrite: boolean;
  /** No progress on stderr (--quiet or --json). */
  readonly quiet: boolean;
  /** --quiet itself: not even the final summary line. */
  readonly quietOnly: boolean;
  readonly json: boolean;
}

/** The command line, checked in the order its usage errors are reported. */
async function parseBatchSettings(argv: string[]): Promise<BatchSettings> {
  const parsed = parseCommandLine(argv, OPTIONS);
  if (parsed.help) throw new Error('batch --help is answered by the CLI entry');
  const { values } = parsed;
  if ((values.input === undefined) === (values.list === undefined))
    throw new UsageError('give the scenes with either --input DIR or --list FILE.csv|FILE.json');
  if (!values['out-dir']) throw new UsageError('missing --out-dir');
  const methodNames = listOption(values.methods, 'methods');
  const methods: string[] = [];
  for (const m of methodNames) methods.push(await checkMethodName(m));
  const pattern = values.pattern ?? DEFAULT_PATTERN;
  checkPattern(pattern, methods);
  const shard = parseShard(values.shard);
  const tileSizePx = integerOption(values.tile, 'tile', 16, 8192) ?? 512;
  const device = oneOf<DeviceRequest>(values.device, ['auto', 'cpu', 'cuda'], 'device', 'auto');
  const compression = oneOf<Compression>(values.compress, ['ZSTD', 'DEFLATE', 'LZW', 'NONE'], 'compress', 'ZSTD');
  const creationOptions = parseCreationOptions(values.co ?? []);
  const outDir = resolve(values['out-dir']);
  const format = checkOutputFormat(
    join(outDir, outputName(pattern, { scene: 'x', panPath: 'p.tif', msPath: 'm.tif' }, methods[0]!)),
    values.of,
    values.cog ?? false,
  );
  return {
    input: values.input,
    list: values.list,
    methods,
    pattern,
    shard,
    tileSizePx,
    device,
    compression,
    creationOptions,
    outDir,
    format,
    float32: values.float32 ?? false,
    overwrite: values.overwrite ?? false,
    quiet: (values.quiet || values.json) ?? false,
    quietOnly: values.quiet ?? false,
    json: values.json ?? false,
  };
}

interface BatchJob {
  readonly scene: BatchScene;
  readonly method: string;
  readonly out: string;
}

/** The scenes of this shard × the methods, each with its output path (distinct), and the output folder made. */
function planBatch(settings: BatchSettings): { listing: SceneListing; mine: BatchScene[]; jobs: BatchJob[] } {
  const { outDir, pattern, methods, shard, quiet } = settings;
  const listing = settings.input !== undefined ? scenesInFolder(resolve(settings.input)) : scenesInList(resolve(settings.list!));
  if (!quiet) for (const why of listing.ignored) process.stderr.write(`not a scene: ${why}\n`);
  if (listing.scenes.length === 0) throw new UsageError(`no PAN/MS scene found in ${settings.input ?? settings.list}`);
  const mine: BatchScene[] = shardScenes(listing.scenes, shard);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out-dir ${outDir} is a file`);
  mkdirSync(outDir, { recursive: true });

  const jobs = mine.flatMap((scene) => methods.map((method) => ({ scene, method, out: join(outDir, outputName(pattern, scene, method)) })));
  const outs = new Set<string>();
  for (const j of jobs) {
    if (outs.has(j.out)) throw new UsageError(`--pattern "${pattern}" gives ${j.out} twice; add {method} or {scene}`);
    outs.add(j.out);
  }
  if (!quiet) {
    const shardText = shard.count > 1 ? `shard ${shard.index}/${shard.count}: ` : '';
    process.stderr.write(`${shardText}${mine.length} of ${listing.scenes.length} scene(s) × ${methods.length} method(s) → ${outDir}\n`);
  }
  return { listing, mine, jobs };
}

/** Every job in turn, a row each; the first Ctrl-C / SIGTERM cancels the rest, a second one exits at once. */
async function runBatch(settings: BatchSettings, jobs: readonly BatchJob[], sharpen: typeof sharpenInChild): Promise<BatchRow[]> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.cancelled);
    process.stderr.write('\ncancelling… (the scene in progress leaves no file; rerun the same command to resume)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const rows: BatchRow[] = [];
  // For the estimate of the time left: jobs that ran (done or failed), not skipped or cancelled ones.
  let workSeconds = 0;
  let worked = 0;
  try {
    for (const [i, job] of jobs.entries()) {
      const base = { scene: job.scene.scene, method: job.method, pan: job.scene.panPath, ms: job.scene.msPath, out: job.out };
      const label = `[${i + 1}/${jobs.length}] ${job.scene.scene} ${job.method}`;
      if (controller.signal.aborted) {
        rows.push({ ...base, status: 'cancelled', seconds: 0, exitCode: ExitCode.cancelled, error: '' });
        continue;
      }
      if (existsSync(job.out) && !settings.overwrite) {
        rows.push({ ...base, status: 'complete', seconds: 0, exitCode: 0, error: '' });
        if (!settings.quiet) process.stderr.write(`${label}: already complete, skipped\n`);
        continue;
      }
      const row = await runJob(settings, job, sharpen, controller.signal);
      rows.push({ ...base, ...row });
      if (row.status === 'done' || row.status === 'failed') {
        workSeconds += row.seconds;
        worked++;
      }
      if (!settings.quiet) {
        const left = jobs.length - i - 1;
        const eta = worked > 0 && left > 0 ? `, about ${formatSeconds((workSeconds / worked) * left)} left` : '';
        const what = row.status === 'done' ? `done in ${row.seconds.toFixed(1)} s` : `${row.status}: ${row.error}`;
        process.stderr.write(`${label}: ${what}${eta}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  return rows;
}

/** One (scene, method) in its own engine child: its status, time, exit code and error. */
async function runJob(
  settings: BatchSettings,
  job: BatchJob,
  sharpen: typeof sharpenInChild,
  signal: AbortSignal,
): Promise<Pick<BatchRow, 'status' | 'seconds' | 'exitCode' | 'error'>> {
  const t0 = Date.now();
  try {
    await sharpen(
      {
        panPath: job.scene.panPath,
        msPath: job.scene.msPath,
        method: job.method,
        outPath: job.out,
        tileSizePx: settings.tileSizePx,
        device: settings.device,
        cog: settings.format === 'COG',
        dataType: settings.float32 ? 'Float32' : 'source',
        compression: settings.compression,
        creationOptions: settings.creationOptions,
        overwrite: settings.overwrite,
      },
      { signal },
    );
    return { status: 'done', seconds: (Date.now() - t0) / 1000, exitCode: 0, error: '' };
  } catch (err) {
    const seconds = (Date.now() - t0) / 1000;
    const code = exitCodeFor(err);
    const status = code === ExitCode.cancelled ? 'cancelled' : 'failed';
    return { status, seconds, exitCode: code, error: describeError(err).message };
  }
}
