/**
 * @module main/cli
 * `panforge <command>`: argv → engine calls. Human output on stderr/stdout, `--json` for scripts, stable exit codes.
 */
import { resolve } from 'node:path';
import { describeError } from '../engine/errors.ts';
import { describeScene, formatSceneReport } from '../engine/io/scene-report.ts';
import type { JobEvent } from '../engine/jobs/job-events.ts';
import { parseMemorySize } from '../engine/jobs/memory-budget.ts';
import { DEFAULT_MAX_PIXELS } from '../engine/jobs/preflight.ts';
import { sharpenInChild } from '../engine/jobs/sharpen-process.ts';
import { listMethods } from '../engine/methods/registry.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import type { Compression } from '../engine/write/geotiff-writer.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { commandEvaluate, EVALUATE_HELP } from './evaluate-command.ts';
import { handleInterrupts } from './interrupts.ts';
import { integerOption, parseCommandArgs } from './parse-options.ts';
import { ProgressBar } from './progress-bar.ts';
import { UsageError } from './usage-error.ts';

export const HELP = `panforge — pansharpen satellite scenes (GGPNet, PreMix, CF2N and classical baselines)

Usage:
  panforge info --pan PAN --ms MS [--json]
      Read a PAN + MS pair, check it, and report sizes, CRS, bands, bit depth and the methods that fit.
  panforge sharpen --pan PAN --ms MS --method NAME --out OUT.tif [options]
      Sharpen the whole scene into a georeferenced GeoTIFF on the PAN grid.
        --method NAME     exp | brovey | gsa | mtf-glp | ggpnet | premix | cf2n  (see: panforge methods)
        --tile N          tile core size in PAN pixels (default 512)
        --device D        auto | cpu | cuda (default auto: CUDA when its provider loads and a GPU is
                          visible, else CPU; says which and why). A CUDA failure mid-run retries the
                          tile with a smaller batch, then continues on CPU.
        --batch N         tiles per inference call for networks (default 4 on CUDA, 1 on CPU)
        --cog             write a Cloud Optimized GeoTIFF with overviews
        --float32         write Float32 instead of the MS data type
        --compress C      ZSTD (default) | DEFLATE | LZW | NONE
        --max-pixels N    refuse inputs declaring more PAN pixels than N (default 4e9)
        --max-memory M    memory the run may use, e.g. 4G or 1500M (default: half the RAM, at most 8G);
                          tile size and batch shrink to fit each model's measured memory per tile
        --overwrite       replace OUT if it exists (only once the new file is complete)
        --quiet           no progress bar
        --json            print the result as JSON on stdout
  panforge methods [--json]
      List the methods and the installed models.
${EVALUATE_HELP}

Exit codes: 0 ok, 1 internal error, 2 usage error (also: an output that is one of the inputs, an unknown
method), 3 bad input, 4 model error (or out of memory), 5 output error (exists, disk full, I/O error),
6 engine crashed, 130 cancelled.
Outputs are written to NAME.panforge-PID.partial.tif and renamed when complete and read back; on error or Ctrl-C
nothing is left behind, and the next run removes what a killed one left. An input is never written.
Ctrl-C ends a run within 2 s; a second Ctrl-C ends it at once.`;

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  const upper = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!upper) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return upper;
}

async function commandInfo(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { pan: { type: 'string' }, ms: { type: 'string' }, json: { type: 'boolean' } });
  const report = await describeScene({ panPath: resolve(required(values, 'pan')), msPath: resolve(required(values, 'ms')) });
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatSceneReport(report)) + '\n');
  return ExitCode.ok;
}

async function commandMethods(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  const entries = listMethods();
  if (values.json) {
    const json = entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      label: e.label,
      description: e.description,
      variants: e.variants.map((v) => ({ bandCount: v.bandCount, ratios: v.supportedRatios, overlapPx: v.overlapPx, model: v.model ?? null })),
    }));
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return ExitCode.ok;
  }
  for (const e of entries) {
    process.stdout.write(`${e.id.padEnd(8)} ${e.kind.padEnd(9)} ${e.description}\n`);
    for (const v of e.variants) {
      if (v.model) process.stdout.write(`${''.padEnd(18)}${v.model.name}: ${v.bandCount} bands (${v.model.bandOrder.join(', ')}), v${v.model.version}, ${v.model.status}\n`);
    }
  }
  if (!entries.some((e) => e.kind === 'network')) process.stdout.write('(no network models installed: models/onnx has no manifests)\n');
  return ExitCode.ok;
}

async function commandSharpen(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    pan: { type: 'string' },
    ms: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
    tile: { type: 'string' },
    device: { type: 'string' },
    batch: { type: 'string' },
    cog: { type: 'boolean' },
    float32: { type: 'boolean' },
    compress: { type: 'string' },
    'max-pixels': { type: 'string' },
    'max-memory': { type: 'string' },
    overwrite: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const tileSizePx = integerOption(values.tile, 'tile', 16, 8192, 512);
  const batchSize = integerOption(values.batch, 'batch', 1, 64);
  const device = oneOf<DeviceRequest>(values.device, ['auto', 'cpu', 'cuda'], 'device', 'auto');
  const compression = oneOf<Compression>(values.compress, ['ZSTD', 'DEFLATE', 'LZW', 'NONE'], 'compress', 'ZSTD');
  const maxPixels = values['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : Number(values['max-pixels']);
  if (!Number.isFinite(maxPixels) || maxPixels < 1) throw new UsageError(`--max-pixels must be a number ≥ 1 (e.g. 4e9); got "${values['max-pixels']}"`);
  const maxMemoryBytes = values['max-memory'] === undefined ? undefined : parseMemorySize(values['max-memory']);
  if (maxMemoryBytes === null) throw new UsageError(`--max-memory must be a size such as 4G, 1500M or 8GiB; got "${values['max-memory']}"`);
  const method = required(values, 'method');
  if (!listMethods().some((e) => e.id === method.toLowerCase())) {
    throw new UsageError(`unknown method "${method}"; available: ${listMethods().map((e) => e.id).join(', ')} (see \`panforge methods\`)`);
  }
  const paths = { panPath: resolve(required(values, 'pan')), msPath: resolve(required(values, 'ms')), outPath: resolve(required(values, 'out')) };
  const controller = new AbortController();
  // The engine child is killed and its partial file removed by sharpenInChild's exit hook, so exiting is enough.
  const releaseInterrupts = handleInterrupts({ onCancel: () => controller.abort(), forceExit: () => process.exit(ExitCode.cancelled) });
  const bar = values.quiet || values.json ? null : new ProgressBar(method);
  const onEvent = (e: JobEvent) => {
    if (e.type === 'progress') bar?.update(e);
    else if (e.type === 'log' && !values.quiet) {
      bar?.finish();
      process.stderr.write(`${e.message}\n`);
    }
  };
  try {
    // In a child process: a native crash there fails this job with a clear error, not the CLI (sharpen-process.ts).
    const result = await sharpenInChild(
      {
        ...paths,
        method,
        tileSizePx,
        maxPixels,
        ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes }),
        device,
        ...(batchSize === undefined ? {} : { batchSize }),
        cog: values.cog ?? false,
        dataType: values.float32 ? 'Float32' : 'source',
        compression,
        overwrite: values.overwrite ?? false,
      },
      { signal: controller.signal, onEvent },
    );
    bar?.finish();
    if (values.json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + '\n');
    else if (!values.quiet) {
      process.stderr.write(
        `wrote ${result.outPath}: ${result.width}×${result.height}, ${result.bands} bands ${result.dataType}, ${result.method}${result.modelName ? ` (${result.modelName})` : ''} on ${result.device}, ${result.tiles} tiles in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.megapixelsPerSecond.toFixed(2)} MP/s)\n`,
      );
    }
    return ExitCode.ok;
  } finally {
    bar?.finish();
    releaseInterrupts();
  }
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  info: commandInfo,
  sharpen: commandSharpen,
  methods: commandMethods,
  evaluate: commandEvaluate,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP + '\n');
    return command ? ExitCode.ok : ExitCode.usage;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest);
  } catch (err) {
    const usage = err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    const code = usage ? ExitCode.usage : exitCodeFor(err);
    const usageLike = usage || code === ExitCode.usage;
    const described = usage ? { code: 'usage', message: (err as Error).message, details: {} } : describeError(err);
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: described }, null, 2) + '\n');
    process.stderr.write(`panforge ${command}: ${described.message}\n`);
    if (usageLike) process.stderr.write('Run `panforge --help` for usage.\n');
    if (described.code === 'internal' && err instanceof Error && process.env.PANFORGE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
