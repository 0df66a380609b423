/**
 * @module main/cli
 * `panforge <command>`: argv → engine calls. Human output on stderr/stdout, `--json` for scripts, stable exit codes.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../engine/errors.ts';
import { describeScene, formatSceneReport } from '../engine/io/scene-report.ts';
import type { JobEvent } from '../engine/jobs/job-events.ts';
import { sharpenInChild } from '../engine/jobs/sharpen-process.ts';
import { listMethods } from '../engine/methods/registry.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import type { Compression } from '../engine/write/geotiff-writer.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { commandEvaluate, EVALUATE_HELP } from './evaluate-command.ts';
import { commandRecommend, RECOMMEND_HELP } from './recommend-command.ts';
import { ProgressBar } from './progress-bar.ts';
import { UsageError } from './usage-error.ts';

export const HELP = `panforge — pansharpen satellite scenes (GGPNet, PreMix, CF2N and classical baselines)

Usage:
  panforge info --pan PAN --ms MS [--json]
      Read a PAN + MS pair, check it, and report sizes, CRS, bands, bit depth and the methods that fit.
  panforge sharpen --pan PAN --ms MS --method NAME --out OUT.tif [options]
      Sharpen the whole scene into a georeferenced GeoTIFF on the PAN grid.
        --method NAME     exp | brovey | gsa | mtf-glp | ggpnet | premix | cf2n  (see: panforge methods),
                          or auto: run what \`panforge recommend\` picks (its ranking goes into the metadata)
        --adapt           adapt the method to this scene first: fit a per-band correction of its output on the
                          scene's Wald-degraded copy (seeded salient windows), kept only if held-back windows'
                          ERGAS improves; stored in the metadata and OUT.adaptation.json
        --adapt-from F    reuse the adaptation of an earlier run (its .adaptation.json or its GeoTIFF)
        --sensor S        MTF for the degraded copy (default: SENSOR metadata, else generic, with a warning)
        --seed N          which windows adaptation / auto draw (default 1)
        --tile N          tile core size in PAN pixels (default 512)
        --device D        auto | cpu | cuda (default auto: CUDA when its provider loads and a GPU is
                          visible, else CPU; says which and why). A CUDA failure mid-run retries the
                          tile with a smaller batch, then continues on CPU.
        --batch N         tiles per inference call for networks (default 4 on CUDA, 1 on CPU)
        --cog             write a Cloud Optimized GeoTIFF with overviews
        --float32         write Float32 instead of the MS data type
        --compress C      ZSTD (default) | DEFLATE | LZW | NONE
        --overwrite       replace OUT if it exists
        --quiet           no progress bar
        --json            print the result as JSON on stdout
  panforge methods [--json]
      List the methods and the installed models.
${EVALUATE_HELP}
${RECOMMEND_HELP}

Exit codes: 0 ok, 1 internal error, 2 usage error, 3 bad input, 4 model error, 5 output error, 6 engine crashed,
130 cancelled.
Outputs are written to NAME.partial.tif and renamed when complete; on error or Ctrl-C nothing is left behind.`;

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
  const { values } = parseArgs({ args: argv, options: { pan: { type: 'string' }, ms: { type: 'string' }, json: { type: 'boolean' } } });
  const report = await describeScene({ panPath: resolve(required(values, 'pan')), msPath: resolve(required(values, 'ms')) });
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatSceneReport(report)) + '\n');
  return ExitCode.ok;
}

async function commandMethods(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
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
  const { values } = parseArgs({
    args: argv,
    options: {
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
      adapt: { type: 'boolean' },
      'adapt-from': { type: 'string' },
      sensor: { type: 'string' },
      seed: { type: 'string' },
      overwrite: { type: 'boolean' },
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const tileSizePx = values.tile === undefined ? 512 : Number(values.tile);
  if (!Number.isInteger(tileSizePx) || tileSizePx < 16 || tileSizePx > 8192) throw new UsageError(`--tile must be an integer from 16 to 8192; got "${values.tile}"`);
  const batchSize = values.batch === undefined ? undefined : Number(values.batch);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 64)) throw new UsageError(`--batch must be an integer from 1 to 64; got "${values.batch}"`);
  const device = oneOf<DeviceRequest>(values.device, ['auto', 'cpu', 'cuda'], 'device', 'auto');
  const compression = oneOf<Compression>(values.compress, ['ZSTD', 'DEFLATE', 'LZW', 'NONE'], 'compress', 'ZSTD');
  const method = required(values, 'method');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) throw new UsageError(`--seed must be an integer from 0 to 4294967295; got "${values.seed}"`);
  if (values.adapt && values['adapt-from']) throw new UsageError('--adapt and --adapt-from exclude each other: --adapt fits anew, --adapt-from reuses a fit');
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.cancelled); // second Ctrl-C: leave now (partial file already being removed)
    process.stderr.write('\ncancelling… (the partial output is removed)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
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
        panPath: resolve(required(values, 'pan')),
        msPath: resolve(required(values, 'ms')),
        method,
        outPath: resolve(required(values, 'out')),
        tileSizePx,
        device,
        ...(batchSize === undefined ? {} : { batchSize }),
        cog: values.cog ?? false,
        dataType: values.float32 ? 'Float32' : 'source',
        compression,
        overwrite: values.overwrite ?? false,
        adapt: values.adapt ?? false,
        adaptFrom: values['adapt-from'] ? resolve(values['adapt-from']) : null,
        sensor: values.sensor ?? null,
        ...(seed === undefined ? {} : { seed }),
      },
      { signal: controller.signal, onEvent },
    );
    bar?.finish();
    if (values.json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + '\n');
    else if (!values.quiet) {
      process.stderr.write(
        `wrote ${result.outPath}: ${result.width}×${result.height}, ${result.bands} bands ${result.dataType}, ${result.method}${result.modelName ? ` (${result.modelName})` : ''} on ${result.device}, ${result.tiles} tiles in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.megapixelsPerSecond.toFixed(2)} MP/s)\n`,
      );
      if (result.adaptationPath) process.stderr.write(`adaptation ${result.adaptation?.accepted ? `applied (${result.adaptation.correction?.kind})` : 'declined'}; record: ${result.adaptationPath}\n`);
    }
    return ExitCode.ok;
  } finally {
    bar?.finish();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  info: commandInfo,
  sharpen: commandSharpen,
  methods: commandMethods,
  evaluate: commandEvaluate,
  recommend: commandRecommend,
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
    const described = usage ? { code: 'usage', message: (err as Error).message, details: {} } : describeError(err);
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: described }, null, 2) + '\n');
    process.stderr.write(`panforge ${command}: ${described.message}\n`);
    if (usage) process.stderr.write('Run `panforge --help` for usage.\n');
    if (described.code === 'internal' && err instanceof Error && process.env.PANFORGE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
