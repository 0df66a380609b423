/**
 * @module main/cli/recommend-command
 * `panforge recommend`: which method is best on this scene? Prints the ranked table (reduced-resolution SAM, ERGAS,
 * Q2n on held-back windows of the scene's degraded copy; QNR/HQNR at full resolution for the top few) and the
 * recommended `--method`, or one JSON object with `recommended` and `ranking` (engine: jobs/recommend.ts).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecommendResult } from '../engine/adapt/recommend-on-scene.ts';
import { recommend } from '../engine/jobs/recommend.ts';
import type { DeviceRequest } from '../engine/methods/method.ts';
import { ExitCode } from './exit-codes.ts';
import { UsageError } from './usage-error.ts';
export { RECOMMEND_HELP } from './recommend-help.ts';

function fmt(v: number | undefined, digits = 4): string {
  if (v === undefined) return '';
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

export function formatRanking(result: RecommendResult): string {
  const header = ['#', 'method', 'SAM°', 'ERGAS', 'Q2n', 'QNR', 'HQNR', ''];
  const rows = result.ranking.map((r) => [
    String(r.rank),
    r.name,
    fmt(r.sam, 3),
    fmt(r.ergas, 3),
    fmt(r.q2n),
    fmt(r.fullResolution?.QNR),
    fmt(r.fullResolution?.HQNR),
    r.adapt && r.adaptation && !r.adaptation.accepted ? '(guard declined: same as unadapted)' : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const w = result.windows;
  lines.push(
    '',
    `Reduced resolution (Wald): each method fused the scene's MTF-degraded copy on ${w.fit + w.guard} seeded salient windows (seed ${result.seed}, ${w.sidePx - 2 * w.contextPx}² px cores);`,
    `scores are on the ${w.guard} held-back windows against the original MS (adapted variants were fitted on the other ${w.fit}). SAM, ERGAS: lower is better; Q2n: higher.`,
    'QNR/HQNR: full resolution, no reference (higher is better), for the top methods on two windows.',
    `MTF: ${result.sensor.name ?? 'generic'} (${result.sensor.source}).`,
  );
  for (const s of result.skipped) lines.push(`skipped ${s.method}: ${s.reason}`);
  lines.push('', `Recommended: --method ${result.recommended.method}${result.recommended.adapt ? ' --adapt' : ''}`);
  return lines.join('\n');
}

export async function commandRecommend(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pan: { type: 'string' },
      ms: { type: 'string' },
      methods: { type: 'string' },
      seed: { type: 'string' },
      sensor: { type: 'string' },
      device: { type: 'string' },
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const need = (name: 'pan' | 'ms') => {
    const v = values[name];
    if (!v) throw new UsageError(`missing --${name}`);
    return resolve(v);
  };
  let methods: string[] | null = null;
  if (values.methods !== undefined) {
    methods = values.methods
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (methods.length === 0) throw new UsageError(`--methods needs a comma-separated list of method names; got "${values.methods}"`);
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed must be an integer from 0 to 4294967295; got "${values.seed}"`);
  const device = (values.device ?? 'auto').toLowerCase();
  if (!['auto', 'cpu', 'cuda'].includes(device)) throw new UsageError(`--device must be one of auto, cpu, cuda; got "${values.device}"`);
  const result = await recommend(
    { panPath: need('pan'), msPath: need('ms'), methods, seed, sensor: values.sensor ?? null, device: device as DeviceRequest },
    {
      onEvent: (e) => {
        if (e.type === 'log' && !values.quiet) process.stderr.write(`${e.message}\n`);
        if (e.type === 'progress' && !values.quiet && !values.json)
          process.stderr.write(`recommend: ${e.tilesDone}/${e.tilesTotal} methods run on the windows\n`);
      },
    },
  );
  if (values.json) {
    const { adaptations: _adaptations, ...rest } = result;
    process.stdout.write(JSON.stringify({ ok: true, ...rest }, null, 2) + '\n');
  } else {
    process.stdout.write(formatRanking(result) + '\n');
  }
  return ExitCode.ok;
}
