/**
 * @module bench/tile-cost
 * `npm run bench -- tile-cost --before DIR [--after DIR] [--reps 5] [--pan 512]`: inference cost per tile of two
 * sets of the same models (e.g. before and after a change of architecture: issue 11 allows +10 %), measured in one
 * run and interleaved (before, after, before, …) so a shared machine's load hits both alike. Per model: median ms
 * of one 512² PAN tile (MS 128², batch 1, CPU, ORT through the engine's session cache) and after / before.
 * `--before` takes a folder of manifests + .onnx, e.g. the previous commit's models:
 *   mkdir /tmp/old && for f in $(git ls-tree --name-only HEAD~N models/onnx/); do git show HEAD~N:$f > /tmp/old/$(basename $f); done
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest, readVerifiedModel } from '../main/engine/infer/manifest.ts';
import { getSession } from '../main/engine/infer/ort-session.ts';
import { timeOrt } from './inference.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

export async function runTileCost(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const before = arg('before');
  const after = arg('after') ?? process.env.PANFORGE_MODELS_DIR ?? new URL('../models/onnx/', import.meta.url).pathname;
  if (!before || !existsSync(before)) throw new Error('tile-cost: --before DIR (a folder of model manifests and .onnx files) is required');
  const reps = Number(arg('reps') ?? 5);
  const panPx = Number(arg('pan') ?? 512);
  const names = readdirSync(after)
    .filter((f) => f.endsWith('.manifest.json') && existsSync(join(before, f)))
    .sort();
  const rows: Row[] = [];
  for (const file of names) {
    const sides = [loadManifest(join(before, file)), loadManifest(join(after, file))] as const;
    const sessions = await Promise.all(sides.map(async (m) => (await getSession(m.sha256, () => readVerifiedModel(m), 'cpu', m.name)).session));
    const bands = sides[1].bands;
    const ms = Float32Array.from({ length: bands * (panPx / 4) ** 2 }, (_, i) => 0.25 + 0.1 * Math.sin(i * 0.37));
    const pan = Float32Array.from({ length: panPx * panPx }, (_, i) => 0.25 + 0.1 * Math.cos(i * 0.11));
    const times: [number[], number[]] = [[], []];
    for (let r = 0; r < reps; r++) {
      for (const k of [0, 1] as const) times[k].push((await timeOrt(sessions[k]!, sides[k], ms, pan, 1, panPx, 1)).msPerCall);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [b, a] = [med(times[0]), med(times[1])];
    rows.push({
      model: sides[1].name,
      beforeMs: b,
      afterMs: a,
      ratio: a / b,
      macsBefore: sides[0].macsPerPanPixel,
      macsAfter: sides[1].macsPerPanPixel,
      limit: 1.1,
      ok: a / b <= 1.1,
    });
    process.stderr.write(`tile-cost: ${sides[1].name} ${b.toFixed(0)} → ${a.toFixed(0)} ms per ${panPx}² tile\n`);
  }
  printTable(rows);
  process.stdout.write(`saved ${saveJson(arg('name') ?? 'tile-cost', { machine: machine(), panPx, reps, before, after, rows })}\n`);
}
