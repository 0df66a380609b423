/**
 * @module main/cli
 * `panforge <command>`: argv → engine calls. Human output on stderr/stdout, `--json` for scripts, stable exit codes.
 * Commands load the engine lazily (dynamic imports), so `--version` and `--help` answer without GDAL or the models.
 */
import { describeError } from '../engine/errors.ts';
import { BAND_PRESETS, type BandLayoutOverride } from '../engine/io/band-layout.ts';
import type { JobRunEvent } from '../engine/job-events.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import type { Compression } from '../engine/write/geotiff-writer.ts';
import { parseCommandLine } from './command-line.ts';
import { suggestion } from './did-you-mean.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { BATCH_HELP } from './batch-help.ts';
import { EVALUATE_HELP } from './evaluate-help.ts';
import { inputPath, outputPath } from './gdal-paths.ts';
import { checkOutputFormat, GEOTIFF_OPTIONS, parseCreationOptions, SHARPEN_FORMAT_HELP } from './output-format.ts';
import { checkMethodName, integerOption, oneOf, required } from './option-values.ts';
import { handleInterrupts } from './interrupts.ts';
import { RECOMMEND_HELP } from './recommend-help.ts';
import { ProgressBar } from './progress-bar.ts';
import { UsageError } from './usage-error.ts';
import { versionReport } from './version-report.ts';

const INFO_HELP = `  panforge info --pan PAN --ms MS [--sensor S] [--bands B] [--json]
      Read a PAN + MS pair, check it, and report sizes, CRS, bands, bit depth and the methods that fit.`;

const SHARPEN_HELP = `  panforge sharpen --pan PAN --ms MS --method NAME --out OUT.tif [options]
      Sharpen the whole scene into a georeferenced GeoTIFF on the PAN grid. PAN and MS may be any GDAL path:
      files, VRT, /vsizip/…, /vsicurl/…, /vsis3/… (with GDAL's own configuration, e.g. AWS_* variables).
        --method NAME     exp | brovey | gsa | mtf-glp | ggpnet | premix | cf2n  (see: panforge methods)
                          or auto: run what \`panforge recommend\` picks (its ranking goes into the metadata)
        --adapt           adapt the method to this scene first: fit a per-band correction of its output (alone,
                          or weighed against MTF-GLP's) on the scene's Wald-degraded copy (seeded salient
                          windows), kept only if held-back windows' ERGAS improves without a larger SAM;
                          stored in the metadata and OUT.adaptation.json
        --adapt-from F    reuse the adaptation of an earlier run (its .adaptation.json or its GeoTIFF)
        --seed N          which windows adaptation / auto draw (default 1)
        --tile N          tile core size in PAN pixels (default 512)
        --device D        auto | cpu | cuda (default auto: CUDA when its provider loads and a GPU is
                          visible, else CPU; says which and why). A CUDA failure mid-run retries the
                          tile with a smaller batch, then continues on CPU.
        --batch N         tiles per inference call for networks (default 4 on CUDA, 1 on CPU)
        --cog             write a Cloud Optimized GeoTIFF with overviews (same as --of COG)
${SHARPEN_FORMAT_HELP}
        --float32         write Float32 instead of the MS data type
        --compress C      ZSTD (default) | DEFLATE | LZW | NONE  (same as -co COMPRESS=C)
        --max-pixels N    refuse inputs declaring more PAN pixels than N (default 4e9)
        --max-memory M    memory the run may use, e.g. 4G or 1500M (default: half the RAM, at most 8G);
                          tile size and batch shrink to fit each model's measured memory per tile
        --sensor S        the sensor, for its MTF gains (WorldView-3, WV03, GeoEye-1, …); default: the SENSOR
                          metadata, else unknown (generic MTF)
        --bands B         MS band names in file order, comma-separated (Red,Green,Blue,NIR), or a preset:
                          ${BAND_PRESETS.map((p) => p.id).join(' | ')} (a WorldView preset also sets the sensor);
                          default: the band descriptions, else a guess from ColorInterp or the band count
        --overwrite       replace OUT if it exists (only once the new file is complete)
        --quiet           no progress and no notes on stderr (errors only)
        --json            print the result as JSON on stdout`;

const METHODS_HELP = `  panforge methods [--json]
      List the methods and the installed models.`;

const VERSION_HELP = `  panforge --version [--json]
      PanForge's version, the GDAL and ONNX Runtime it runs on, and the installed models.`;

/** Each command's usage, printed by `panforge <command> --help` and, together, by `panforge --help`. */
const COMMAND_HELP: Record<string, string> = {
  info: INFO_HELP,
  sharpen: SHARPEN_HELP,
  batch: BATCH_HELP,
  methods: METHODS_HELP,
  evaluate: EVALUATE_HELP,
  recommend: RECOMMEND_HELP,
  version: VERSION_HELP,
};

const EXIT_CODES = `Exit codes: 0 ok, 1 internal error, 2 usage error (also: an output that is one of the inputs, an unknown
method), 3 bad input, 4 model error (or out of memory), 5 output error (exists, disk full, I/O error),
6 engine crashed, 7 batch finished with failed scenes, 130 cancelled.
Outputs are written to NAME.panforge-PID.partial.tif and renamed when complete and read back; on error or Ctrl-C
nothing is left behind, and the next run removes what a killed one left. An input is never written.
Ctrl-C ends a run within 2 s; a second Ctrl-C ends it at once.`;

export const HELP = `panforge — pansharpen satellite scenes (GGPNet, PreMix, CF2N and classical baselines)

Usage:
${Object.values(COMMAND_HELP).join('\n')}

Run \`panforge <command> --help\` for one command.
${EXIT_CODES}`;

function commandHelp(command: string): string {
  return `Usage:\n${COMMAND_HELP[command]}\n\n${EXIT_CODES}\n`;
}

/** --sensor / --bands as the scene's layout override (checked against the MS when the scene opens). */
function layoutOption(values: { sensor?: string | undefined; bands?: string | undefined }): { layout?: BandLayoutOverride } {
  if (values.sensor === undefined && values.bands === undefined) return {};
  if (values.bands !== undefined && values.bands.trim() === '') throw new UsageError('--bands needs names (Blue,Green,Red,NIR) or a preset id');
  return { layout: { sensor: values.sensor ?? null, bands: values.bands ?? null } };
}

async function commandInfo(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    pan: { type: 'string' },
    ms: { type: 'string' },
    sensor: { type: 'string' },
    bands: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.help) return printHelp('info');
  const { values } = parsed;
  const files = { panPath: inputPath(required(values, 'pan')), msPath: inputPath(required(values, 'ms')) };
  const { describeScene, formatSceneReport } = await import('../engine/jobs/scene-report.ts');
  const report = await describeScene({ ...files, ...layoutOption(values) });
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatSceneReport(report)) + '\n');
  return ExitCode.ok;
}

async function commandMethods(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, { json: { type: 'boolean' } });
  if (parsed.help) return printHelp('methods');
  const { values } = parsed;
  const { listMethods } = await import('../engine/methods/registry.ts');
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
      if (v.model)
        process.stdout.write(
          `${''.padEnd(18)}${v.model.name}: ${v.bandCount} bands (${v.model.bandOrder.join(', ')}), v${v.model.version}, ${v.model.status}\n`,
        );
    }
  }
  if (!entries.some((e) => e.kind === 'network')) process.stdout.write('(no network models installed: models/onnx has no manifests)\n');
  return ExitCode.ok;
}

async function commandVersion(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, { json: { type: 'boolean' } });
  if (parsed.help) return printHelp('version');
  const report = await versionReport();
  if (parsed.values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    process.stdout.write(`panforge ${report.version}\nGDAL ${report.gdal}\nONNX Runtime ${report.onnxRuntime}\nNode.js ${report.node}\n`);
    process.stdout.write(`models (${report.modelsFolder}):${report.models.length === 0 ? ' none' : ''}\n`);
    for (const m of report.models) process.stdout.write(`  ${m.name} v${m.version} (${m.status})\n`);
  }
  return ExitCode.ok;
}

const SHARPEN_OPTIONS = {
  pan: { type: 'string' },
  ms: { type: 'string' },
  method: { type: 'string' },
  out: { type: 'string' },
  tile: { type: 'string' },
  device: { type: 'string' },
  batch: { type: 'string' },
  ...GEOTIFF_OPTIONS,
  'max-pixels': { type: 'string' },
  'max-memory': { type: 'string' },
  adapt: { type: 'boolean' },
  'adapt-from': { type: 'string' },
  seed: { type: 'string' },
  sensor: { type: 'string' },
  bands: { type: 'string' },
  overwrite: { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function commandSharpen(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, SHARPEN_OPTIONS);
  if (parsed.help) return printHelp('sharpen');
  const { values } = parsed;
  const tileSizePx = integerOption(values.tile, 'tile', 16, 8192) ?? 512;
  const batchSize = integerOption(values.batch, 'batch', 1, 64);
  const device = oneOf<DeviceRequest>(values.device, ['auto', 'cpu', 'cuda'], 'device', 'auto');
  const compression = oneOf<Compression>(values.compress, ['ZSTD', 'DEFLATE', 'LZW', 'NONE'], 'compress', 'ZSTD');
  const panPath = inputPath(required(values, 'pan'));
  const msPath = inputPath(required(values, 'ms'));
  const outPath = outputPath(required(values, 'out'));
  const format = checkOutputFormat(outPath, values.of, values.cog ?? false);
  const creationOptions = parseCreationOptions(values.co ?? []);
  const methodArg = required(values, 'method');
  const method = methodArg.toLowerCase() === 'auto' ? 'auto' : await checkMethodName(methodArg);
  const { sharpenInChild } = await import('../engine/service/sharpen-process.ts');
  const { DEFAULT_MAX_PIXELS } = await import('../engine/jobs/preflight.ts');
  const { parseMemorySize } = await import('../engine/jobs/memory-budget.ts');
  const maxPixels = values['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : Number(values['max-pixels']);
  if (!Number.isFinite(maxPixels) || maxPixels < 1) throw new UsageError(`--max-pixels must be a number ≥ 1 (e.g. 4e9); got "${values['max-pixels']}"`);
  const maxMemoryBytes = values['max-memory'] === undefined ? undefined : parseMemorySize(values['max-memory']);
  if (maxMemoryBytes === null) throw new UsageError(`--max-memory must be a size such as 4G, 1500M or 8GiB; got "${values['max-memory']}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1))
    throw new UsageError(`--seed must be an integer from 0 to 4294967295; got "${values.seed}"`);
  if (values.adapt && values['adapt-from']) throw new UsageError('--adapt and --adapt-from exclude each other: --adapt fits anew, --adapt-from reuses a fit');
  const controller = new AbortController();
  // The engine child is killed and its partial file removed by sharpenInChild's exit hook, so exiting is enough.
  const releaseInterrupts = handleInterrupts({ onCancel: () => controller.abort(), forceExit: () => process.exit(ExitCode.cancelled) });
  const bar = values.quiet || values.json ? null : new ProgressBar(method);
  const onEvent = (e: JobRunEvent) => {
    if (e.type === 'progress') bar?.update(e);
    else if (e.type === 'log' && !values.quiet && !values.json) {
      bar?.finish();
      process.stderr.write(`${e.message}\n`);
    }
  };
  try {
    // In a child process: a native crash there fails this job with a clear error, not the CLI (sharpen-process.ts).
    const result = await sharpenInChild(
      {
        panPath,
        msPath,
        method,
        outPath,
        tileSizePx,
        maxPixels,
        ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes }),
        device,
        ...(batchSize === undefined ? {} : { batchSize }),
        cog: format === 'COG',
        dataType: values.float32 ? 'Float32' : 'source',
        compression,
        creationOptions,
        overwrite: values.overwrite ?? false,
        ...layoutOption(values),
        adapt: values.adapt ?? false,
        adaptFrom: values['adapt-from'] ? inputPath(values['adapt-from']) : null,
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
      if (result.adaptationPath)
        process.stderr.write(
          `adaptation ${result.adaptation?.accepted ? `applied (${result.adaptation.correction?.kind})` : 'declined'}; record: ${result.adaptationPath}\n`,
        );
    }
    return ExitCode.ok;
  } finally {
    bar?.finish();
    releaseInterrupts();
  }
}

function printHelp(command: string): number {
  process.stdout.write(commandHelp(command));
  return ExitCode.ok;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  info: commandInfo,
  sharpen: commandSharpen,
  methods: commandMethods,
  version: commandVersion,
  batch: async (argv) => {
    if (argv.includes('--help') || argv.includes('-h')) return printHelp('batch');
    return (await import('./batch-command.ts')).commandBatch(argv);
  },
  evaluate: async (argv) => {
    if (argv.includes('--help') || argv.includes('-h')) return printHelp('evaluate');
    return (await import('./evaluate-command.ts')).commandEvaluate(argv);
  },
  recommend: async (argv) => {
    if (argv.includes('--help') || argv.includes('-h')) return printHelp('recommend');
    return (await import('./recommend-command.ts')).commandRecommend(argv);
  },
};

/** GDAL spells creation options `-co KEY=VALUE`; node's parser takes one-letter short options only. */
function gdalStyle(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-co' ? '--co' : a === '-of' ? '--of' : a));
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...restRaw] = argv;
  const command = first === '--version' || first === '-V' ? 'version' : first;
  const rest = gdalStyle(restRaw);
  const json = rest.includes('--json');
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && rest[0] && COMMAND_HELP[rest[0]]) return printHelp(rest[0]);
    process.stdout.write(HELP + '\n');
    return command ? ExitCode.ok : ExitCode.usage;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"${suggestion(command, Object.keys(COMMANDS))}`);
    return await run(rest);
  } catch (err) {
    const usage = err instanceof UsageError;
    const code = usage ? ExitCode.usage : exitCodeFor(err);
    const usageLike = usage || code === ExitCode.usage;
    const described = usage ? { code: 'usage', message: (err as Error).message, details: {} } : describeError(err);
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: described }, null, 2) + '\n');
    process.stderr.write(`panforge ${command}: ${described.message}\n`);
    if (usageLike) process.stderr.write(`Run \`panforge ${COMMANDS[command] ? `${command} ` : ''}--help\` for usage.\n`);
    if (described.code === 'internal' && err instanceof Error && process.env.PANFORGE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
