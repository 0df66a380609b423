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
import { writeFileAtomic } from '../engine/write/atomic-file.ts';
import type { Compression } from '../engine/write/geotiff-writer.ts';
import { checkPattern, DEFAULT_PATTERN, outputName, parseShard, scenesInFolder, scenesInList, shardScenes, type BatchScene } from './batch-scenes.ts';
import { parseCommandLine } from './command-line.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { checkMethodName, integerOption, listOption, oneOf } from './option-values.ts';
import { checkOutputFormat, GEOTIFF_OPTIONS, parseCreationOptions } from './output-format.ts';
import { UsageError } from './usage-error.ts';

export interface BatchRow {
  readonly scene: string;
  readonly method: string;
  readonly pan: string;
  readonly ms: string;
  readonly out: string;
  /** done: written now; complete: already there (skipped); failed: see error; cancelled: not run (Ctrl-C). */
  readonly status: 'done' | 'complete' | 'failed' | 'cancelled';
  readonly seconds: number;
  readonly exitCode: number;
  readonly error: string;
}

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

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_COLUMNS = ['scene', 'method', 'status', 'seconds', 'exitCode', 'out', 'pan', 'ms', 'error'] as const;

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export async function commandBatch(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  if (parsed.help) throw new Error('batch --help is answered by the CLI entry');
  const { values } = parsed;
  if ((values.input === undefined) === (values.list === undefined)) throw new UsageError('give the scenes with either --input DIR or --list FILE.csv|FILE.json');
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
  const format = checkOutputFormat(join(outDir, outputName(pattern, { scene: 'x', panPath: 'p.tif', msPath: 'm.tif' }, methods[0]!)), values.of, values.cog ?? false);
  const quiet = values.quiet || values.json;

  const listing = values.input !== undefined ? scenesInFolder(resolve(values.input)) : scenesInList(resolve(values.list!));
  if (!quiet) for (const why of listing.ignored) process.stderr.write(`not a scene: ${why}\n`);
  if (listing.scenes.length === 0) throw new UsageError(`no PAN/MS scene found in ${values.input ?? values.list}`);
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

  const { sharpenInChild } = await import('../engine/service/sharpen-process.ts');
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
  const started = Date.now();
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
      if (existsSync(job.out) && !values.overwrite) {
        rows.push({ ...base, status: 'complete', seconds: 0, exitCode: 0, error: '' });
        if (!quiet) process.stderr.write(`${label}: already complete, skipped\n`);
        continue;
      }
      const t0 = Date.now();
      try {
        await sharpenInChild(
          {
            panPath: job.scene.panPath,
            msPath: job.scene.msPath,
            method: job.method,
            outPath: job.out,
            tileSizePx,
            device,
            cog: format === 'COG',
            dataType: values.float32 ? 'Float32' : 'source',
            compression,
            creationOptions,
            overwrite: values.overwrite ?? false,
          },
          { signal: controller.signal },
        );
        const seconds = (Date.now() - t0) / 1000;
        rows.push({ ...base, status: 'done', seconds, exitCode: 0, error: '' });
        workSeconds += seconds;
        worked++;
      } catch (err) {
        const seconds = (Date.now() - t0) / 1000;
        const code = exitCodeFor(err);
        const status = code === ExitCode.cancelled ? 'cancelled' : 'failed';
        rows.push({ ...base, status, seconds, exitCode: code, error: describeError(err).message });
        if (status === 'failed') {
          workSeconds += seconds;
          worked++;
        }
      }
      if (!quiet) {
        const row = rows[rows.length - 1]!;
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

  const count = (s: BatchRow['status']) => rows.filter((r) => r.status === s).length;
  const summary = { done: count('done'), complete: count('complete'), failed: count('failed'), cancelled: count('cancelled') };
  const suffix = shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : '';
  const reportJson = join(outDir, `batch-report${suffix}.json`);
  const reportCsv = join(outDir, `batch-report${suffix}.csv`);
  const report = {
    ok: summary.failed === 0 && summary.cancelled === 0,
    shard: `${shard.index}/${shard.count}`,
    scenesTotal: listing.scenes.length,
    scenesInShard: mine.length,
    methods,
    outDir,
    seconds: (Date.now() - started) / 1000,
    summary,
    ignored: listing.ignored,
    rows,
    reportPaths: { json: reportJson, csv: reportCsv },
  };
  writeFileAtomic(reportJson, JSON.stringify(report, null, 2) + '\n');
  writeFileAtomic(reportCsv, [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvField(c === 'seconds' ? r.seconds.toFixed(2) : r[c])).join(','))].join('\n') + '\n');
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (!values.quiet) {
    process.stderr.write(`batch: ${summary.done} done, ${summary.complete} already complete, ${summary.failed} failed${summary.cancelled ? `, ${summary.cancelled} cancelled` : ''} in ${formatSeconds(report.seconds)}; report: ${reportJson}\n`);
  }
  if (summary.cancelled > 0) return ExitCode.cancelled;
  return summary.failed > 0 ? ExitCode.batchFailures : ExitCode.ok;
}
