/**
 * @module main/cli/evaluate-command
 * `panforge evaluate`: runs methods on a scene under Wald's protocol (rr) and/or at full resolution (fr), prints the
 * index table and writes the report folder (engine: evaluate/evaluate-job.ts). One progress bar per step.
 */
import { join, resolve } from 'node:path';
import { INDEX_INFO, type Protocol } from '../engine/evaluate/evaluation-report.ts';
import { evaluate, type EvaluateEvent, type EvaluateOptions, type EvaluateResult } from '../engine/evaluate/evaluate-job.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import { DEFAULT_MAX_PIXELS } from '../engine/jobs/preflight.ts';
import { removeOwnPartials } from '../engine/write/output-path.ts';
import { ExitCode } from './exit-codes.ts';
import { handleInterrupts } from './interrupts.ts';
import { integerOption } from './parse-options.ts';
import { ProgressBar } from './progress-bar.ts';
import { parseCommandLine } from './command-line.ts';
import { inputPath } from './gdal-paths.ts';
import { UsageError } from './usage-error.ts';

function parseList(value: string | undefined, name: string): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list; got "${value ?? ''}"`);
  return items;
}

function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(2) : v.toFixed(4);
}

export async function commandEvaluate(argv: string[]): Promise<number> {
  const args = parseEvaluateArgs(argv);
  const controller = new AbortController();
  // Evaluation runs in this process: a forced exit removes this process's partial files in the report folders.
  const releaseInterrupts = handleInterrupts({
    onCancel: () => controller.abort(),
    forceExit: () => {
      for (const sub of ['', 'rr', 'fr', 'maps']) removeOwnPartials(join(args.outDir, sub));
      process.exit(ExitCode.cancelled);
    },
  });
  const progress = stepProgress(!args.quiet && !args.json);
  try {
    const result = await evaluate(evaluateOptions(args), { signal: controller.signal, onEvent: progress.onEvent });
    progress.finish();
    if (args.json) {
      process.stdout.write(
        JSON.stringify(
          { ok: true, reportPaths: result.reportPaths, report: result.report },
          (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
          2,
        ) + '\n',
      );
      return ExitCode.ok;
    }
    printReport(result);
    return ExitCode.ok;
  } finally {
    progress.finish();
    releaseInterrupts();
  }
}

/** The command line as checked values (paths still as given). */
interface EvaluateArgs {
  readonly pan: string;
  readonly ms: string;
  readonly methods: 'all' | string[];
  readonly protocols: Protocol[];
  readonly sensor: string | undefined;
  /** Absolute. */
  readonly outDir: string;
  readonly compare: [string, string] | null;
  readonly tileSizePx: number;
  readonly device: DeviceRequest;
  readonly threads: number | undefined;
  readonly panGain: number | undefined;
  readonly maxPixels: number;
  readonly overwrite: boolean | undefined;
  readonly quiet: boolean | undefined;
  readonly json: boolean | undefined;
}

/** Checks the options in the order their usage errors are reported. */
function parseEvaluateArgs(argv: string[]): EvaluateArgs {
  const parsed = parseCommandLine(argv, {
    pan: { type: 'string' },
    ms: { type: 'string' },
    methods: { type: 'string' },
    protocol: { type: 'string' },
    sensor: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    tile: { type: 'string' },
    device: { type: 'string' },
    threads: { type: 'string' },
    'pan-gain': { type: 'string' },
    'max-pixels': { type: 'string' },
    overwrite: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (parsed.help) throw new Error('evaluate --help is answered by the CLI entry');
  const { values } = parsed;
  for (const name of ['pan', 'ms', 'methods', 'protocol', 'out'] as const) {
    if (!values[name]) throw new UsageError(`missing --${name}`);
  }
  const protocolArg = values.protocol!.toLowerCase();
  const protocols: Protocol[] = protocolArg === 'both' ? ['rr', 'fr'] : protocolArg === 'rr' || protocolArg === 'fr' ? [protocolArg] : [];
  if (protocols.length === 0) throw new UsageError(`--protocol must be rr, fr or both; got "${values.protocol}"`);
  const methods = values.methods!.toLowerCase() === 'all' ? 'all' : parseList(values.methods, 'methods');
  let compare: [string, string] | null = null;
  if (values.compare !== undefined) {
    const pair = parseList(values.compare, 'compare');
    if (pair.length !== 2) throw new UsageError(`--compare needs exactly two methods, A,B; got "${values.compare}"`);
    compare = [pair[0]!, pair[1]!];
  }
  const tileSizePx = integerOption(values.tile, 'tile', 16, 8192, 512);
  const device = (values.device ?? 'auto').toLowerCase();
  if (!['auto', 'cpu', 'cuda'].includes(device)) throw new UsageError(`--device must be one of auto, cpu, cuda; got "${values.device}"`);

  const threads = integerOption(values.threads, 'threads', 1, 256);
  const maxPixels = values['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : Number(values['max-pixels']);
  if (!Number.isFinite(maxPixels) || maxPixels < 1) throw new UsageError(`--max-pixels must be a number ≥ 1 (e.g. 4e9); got "${values['max-pixels']}"`);

  const panGain = values['pan-gain'] === undefined ? undefined : Number(values['pan-gain']);
  if (panGain !== undefined && !(panGain > 0 && panGain < 1))
    throw new UsageError(`--pan-gain must be a number between 0 and 1 (exclusive); got "${values['pan-gain']}"`);
  return {
    pan: values.pan!,
    ms: values.ms!,
    methods,
    protocols,
    sensor: values.sensor,
    outDir: resolve(values.out!),
    compare,
    tileSizePx,
    device: device as DeviceRequest,
    threads,
    panGain,
    maxPixels,
    overwrite: values.overwrite,
    quiet: values.quiet,
    json: values.json,
  };
}

/** The engine's options; the input paths are resolved here (GDAL virtual paths pass through). */
function evaluateOptions(args: EvaluateArgs): EvaluateOptions {
  return {
    panPath: inputPath(args.pan),
    msPath: inputPath(args.ms),
    methods: args.methods,
    protocols: args.protocols,
    sensor: args.sensor ?? null,
    outDir: args.outDir,
    maxPixels: args.maxPixels,
    compare: args.compare,
    tileSizePx: args.tileSizePx,
    device: args.device,
    overwrite: args.overwrite ?? false,
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    ...(args.panGain !== undefined ? { panGain: args.panGain } : {}),
  };
}

/** With `show`, a header and a progress bar per step on stderr, and the engine's log lines between them. */
function stepProgress(show: boolean): { onEvent: (e: EvaluateEvent) => void; finish: () => void } {
  let bar: ProgressBar | null = null;
  const onEvent = (e: EvaluateEvent) => {
    if (e.type === 'step') {
      bar?.finish();
      if (show) {
        process.stderr.write(`[${e.index}/${e.total}] ${e.label}\n`);
        bar = new ProgressBar(e.label);
      }
    } else if (e.type === 'progress') bar?.update(e);
    else if (e.type === 'log' && show) {
      bar?.finish();
      process.stderr.write(`${e.message}\n`);
    }
  };
  return { onEvent, finish: () => bar?.finish() };
}

/** The index table of each protocol, the comparisons, what was skipped, notes and the report's files. */
function printReport({ report, reportPaths }: EvaluateResult): void {
  for (const p of report.protocols) {
    const info = INDEX_INFO.filter((i) => i.protocol === p.protocol && p.methods.some((m) => m.indices[i.key] !== undefined));
    process.stdout.write(`\n${p.title}\n${'method'.padEnd(10)}${info.map((i) => `${i.label} ${i.better === 'higher' ? '↑' : '↓'}`.padStart(12)).join('')}\n`);
    for (const m of p.methods) process.stdout.write(`${m.method.padEnd(10)}${info.map((i) => formatValue(m.indices[i.key]).padStart(12)).join('')}\n`);
  }
  for (const c of report.comparisons) {
    process.stdout.write(
      `${c.protocol}: ${c.a} vs ${c.b}: mean spectral angle ${formatValue(c.meanSpectralAngleDeg)}°, mean relative difference ${formatValue(c.meanRelativeDifference)}\n`,
    );
  }
  for (const s of report.skipped) process.stdout.write(`skipped ${s.method}: ${s.reason}\n`);
  for (const n of report.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`\nreport: ${reportPaths.html}\n        ${reportPaths.json}\n        ${reportPaths.csv}\n`);
}
