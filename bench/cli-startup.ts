/**
 * @module bench/cli-startup
 * `npm run bench -- cli [--pan PAN --ms MS] [--runs N]`: the command line end to end, as a user times it: the
 * compiled CLI (dist/cli, built here) answering `--version` and `--help`, and sharpening a scene with Brovey and
 * GSA, beside `gdal_pansharpen.py` (GDAL's weighted Brovey) on the same scene with the same output options (tiled,
 * ZSTD, predictor 2). Default scene: ../shared/data IKONOS (1280² PAN). Median of N runs (default 3), each a fresh
 * process; all rows come from one run of this script on one machine, so their ratios compare.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCli } from '../scripts/build-cli.ts';
import { sharedDataFolder } from '../main/engine/testing/sample-scenes.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeCommand(cmd: string, args: string[], runs: number, cleanup: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    cleanup();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tmpdir() });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(seconds);
  }
  return median(times);
}

export async function runCliStartup(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { pan: { type: 'string' }, ms: { type: 'string' }, runs: { type: 'string' } } });
  const data = sharedDataFolder();
  const pan = values.pan ?? join(data, 'ikonos_italy_pan.tif');
  const ms = values.ms ?? join(data, 'ikonos_italy_ms.tif');
  if (!existsSync(pan) || !existsSync(ms)) throw new Error(`scene not found (${pan}, ${ms}); pass --pan and --ms`);
  const runs = Number(values.runs ?? 3);
  const { outDir } = await buildCli();
  const cli = join(outDir, 'panforge.js');
  const work = mkdtempSync(join(tmpdir(), 'panforge-bench-cli-'));
  const out = join(work, 'out.tif');
  const clean = () => rmSync(out, { force: true });
  const rows: Row[] = [];
  try {
    rows.push({ command: 'panforge --version', seconds: timeCommand(process.execPath, [cli, '--version'], runs, clean) });
    rows.push({ command: 'panforge sharpen --help', seconds: timeCommand(process.execPath, [cli, 'sharpen', '--help'], runs, clean) });
    const gdalSeconds = timeCommand('gdal_pansharpen.py', [pan, ms, out, '-co', 'TILED=YES', '-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=2', '-q'], runs, clean);
    rows.push({ command: 'gdal_pansharpen.py (weighted Brovey)', seconds: gdalSeconds, vsGdal: 1 });
    for (const method of ['brovey', 'gsa', 'mtf-glp']) {
      const s = timeCommand(process.execPath, [cli, 'sharpen', '--pan', pan, '--ms', ms, '--method', method, '--out', out, '--quiet'], runs, clean);
      rows.push({ command: `panforge sharpen --method ${method}`, seconds: s, vsGdal: s / gdalSeconds });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printTable(rows);
  const path = saveJson('cli-startup', { machine: machine(), scene: { pan, ms }, runs, rows });
  process.stdout.write(`\nsaved ${path}\n`);
}
