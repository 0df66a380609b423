/**
 * Measures each network's host memory per tile on the CPU (what --max-memory budgets): for read-window sides T, a
 * fresh Node process opens the model's ORT session, records its peak RSS, runs one 1-tile inference and records
 * the peak again; the difference is the tile's cost. bytes(T) = a·T² + b·T³ is fitted per model (the T³ term is
 * GGPNet's row attention, W² values per row) and printed as the table in main/engine/jobs/memory-budget.ts.
 *   node --import tsx bench/model-memory.ts [--sides 96,160,224] [--json bench/results/model-memory.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadManifest } from '../main/engine/infer/manifest.ts';
import { openOrtBackend } from '../main/engine/infer/ort-backend.ts';
import { loadNetworkMethods, modelsFolder } from '../main/engine/methods/registry.ts';

const { values } = parseArgs({ options: { child: { type: 'string' }, side: { type: 'string' }, sides: { type: 'string' }, json: { type: 'string' } } });

if (values.child) {
  // Child: one model, one tile side; prints {before, after} peak RSS in bytes.
  const manifest = loadManifest(values.child);
  const side = Number(values.side);
  const backend = await openOrtBackend(manifest, 'cpu');
  const ratio = manifest.ratio;
  const shape = { msBands: manifest.bands, msHeight: side / ratio, msWidth: side / ratio, panHeight: side, panWidth: side, outBands: manifest.bands };
  // A small warm-up tile so the session's one-off allocations are in `before`.
  const warm = 4 * manifest.tileMultiplePx * ratio;
  await backend.run(
    { n: 1, ms: new Float32Array(manifest.bands * (warm / ratio) ** 2).fill(0.3), pan: new Float32Array(warm * warm).fill(0.3) },
    { ...shape, msHeight: warm / ratio, msWidth: warm / ratio, panHeight: warm, panWidth: warm },
  );
  const before = process.resourceUsage().maxRSS * 1024;
  const ms = new Float32Array(manifest.bands * shape.msHeight * shape.msWidth).map((_, i) => 0.2 + 0.1 * Math.sin(i));
  const pan = new Float32Array(side * side).map((_, i) => 0.2 + 0.1 * Math.cos(i));
  await backend.run({ n: 1, ms, pan }, shape);
  const after = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ before, after }) + '\n');
  process.exit(0);
}

const sides = (values.sides ?? '96,160,224').split(',').map(Number);
const self = fileURLToPath(import.meta.url);
const rows: { model: string; side: number; tileBytes: number }[] = [];
const fits: Record<string, { a: number; b: number; points: number[][] }> = {};
for (const method of loadNetworkMethods(modelsFolder())) {
  const manifestPath = method.model!.manifestPath;
  const points: number[][] = [];
  for (const side of sides) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', manifestPath, '--side', String(side)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '2' },
    });
    if (run.status !== 0) throw new Error(`${method.model!.name} at ${side}: ${run.stderr}`);
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { before: number; after: number };
    const tileBytes = Math.max(0, after - before);
    rows.push({ model: method.model!.name, side, tileBytes });
    points.push([side, tileBytes]);
    process.stderr.write(`${method.model!.name} ${side}²: +${(tileBytes / 2 ** 20).toFixed(0)} MiB (peak ${(after / 2 ** 20).toFixed(0)} MiB)\n`);
  }
  // Least squares for bytes = a·T² + b·T³ (no constant: the session's own memory is in `before`).
  let s44 = 0,
    s45 = 0,
    s55 = 0,
    sy4 = 0,
    sy5 = 0;
  for (const [t, y] of points as [number, number][]) {
    const x2 = t * t,
      x3 = t * t * t;
    s44 += x2 * x2;
    s45 += x2 * x3;
    s55 += x3 * x3;
    sy4 += y * x2;
    sy5 += y * x3;
  }
  const det = s44 * s55 - s45 * s45;
  let a = (sy4 * s55 - sy5 * s45) / det;
  let b = (s44 * sy5 - s45 * sy4) / det;
  if (b < 0) {
    a = sy4 / s44;
    b = 0;
  }
  if (a < 0) {
    a = 0;
    b = sy5 / s55;
  }
  fits[method.model!.name] = { a, b, points };
}
process.stdout.write('| model | ' + sides.map((s) => `${s}² tile`).join(' | ') + ' | bytes per PAN px (a) | T³ coefficient (b) |\n');
process.stdout.write('|---|' + sides.map(() => '---').join('|') + '|---|---|\n');
for (const [name, f] of Object.entries(fits)) {
  process.stdout.write(`| ${name} | ${f.points.map(([, y]) => `${(y! / 2 ** 20).toFixed(0)} MiB`).join(' | ')} | ${f.a.toFixed(0)} | ${f.b.toFixed(3)} |\n`);
}
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ measuredAt: new Date().toISOString(), sides, rows, fits }, null, 2));
}
