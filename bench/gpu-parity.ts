/**
 * @module bench/gpu-parity
 * The GPU check (run by bench/gpu-check.sh on a machine with an NVIDIA GPU): for every model, the engine's own
 * path — `networkMethod(...).prepare({device: 'auto'})`, batches of 4 on the engine's tile shape, the last batch
 * padded — must pick CUDA and say why, and its output must match the CPU path within 1e-3 (model scale, i.e.
 * DN / valueMax). Prints a table, writes bench/results/gpu-parity.json, exits 1 when any model fails.
 * Usage: node --import tsx bench/gpu-parity.ts [--models DIR] [--tiles 6]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { loadManifest } from '../main/engine/infer/manifest.ts';
import { cudaProviderInstalled, gpuVisibility } from '../main/engine/infer/ort-session.ts';
import type { FuseInput, PreparedMethod } from '../main/engine/methods/method.ts';
import { networkMethod } from '../main/engine/methods/network-method.ts';
import type { BandBlock } from '../main/engine/raster/band-block.ts';
import { planTiles } from '../main/engine/tiling/tile-plan.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

const TOLERANCE = 1e-3;
const VALUE_MAX = 2047;
const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const folder = arg('models', process.env.PANFORGE_MODELS_DIR ?? fileURLToPath(new URL('../models/onnx/', import.meta.url)));
const tileCount = Number(arg('tiles', '6'));

function tiles(bands: number, readPx: number, count: number): FuseInput[] {
  let s = 7;
  const dn = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1200 + 100;
  return Array.from({ length: count }, () => ({
    ms: { bands, width: readPx / 4, height: readPx / 4, data: Float32Array.from({ length: bands * (readPx / 4) ** 2 }, dn) },
    pan: { bands: 1, width: readPx, height: readPx, data: Float32Array.from({ length: readPx * readPx }, dn) },
  }));
}

async function runAll(prepared: PreparedMethod, inputs: FuseInput[], batch: number): Promise<{ blocks: BandBlock[]; ms: number }> {
  const stages = prepared.batch!;
  const blocks: BandBlock[] = [];
  const t0 = performance.now();
  for (let i = 0; i < inputs.length; i += batch) {
    const part = inputs.slice(i, i + batch);
    blocks.push(...stages.decode(await stages.infer(stages.encode(part)), part));
  }
  return { blocks, ms: performance.now() - t0 };
}

const rows: Row[] = [];
const gpu = gpuVisibility();
process.stdout.write(`onnxruntime-node ${ort.env.versions.common}; CUDA provider installed: ${cudaProviderInstalled()}; GPU: ${gpu.why}\n`);
for (const file of readdirSync(folder)
  .filter((f) => f.endsWith('.manifest.json'))
  .sort()) {
  const manifest = loadManifest(join(folder, file));
  const plan = planTiles({
    region: { colOff: 0, rowOff: 0, width: 4096, height: 4096 },
    ratio: 4,
    tileSizePx: 512,
    overlapPx: manifest.overlapPx,
    multiplePx: manifest.tileMultiplePx,
  });
  process.stderr.write(`gpu-parity: ${manifest.name}…\n`);
  const inputs = tiles(manifest.bands, plan.readSizePx, tileCount);
  const log: string[] = [];
  const common = { ratio: 4, valueMax: VALUE_MAX, sensor: null, sample: {} as never, log: () => undefined };
  let row: Row = { model: manifest.name, 'tile px': `${plan.readSizePx}²` };
  try {
    const cpu = await networkMethod(manifest).prepare({ ...common, device: 'cpu', batchSize: 1 });
    const cuda = await networkMethod(manifest).prepare({ ...common, device: 'auto', batchSize: 4, log: (m) => log.push(m) });
    const deviceLine = log.find((l) => l.includes('running on')) ?? '';
    const a = await runAll(cpu, inputs, 1);
    await runAll(cuda, inputs.slice(0, 4), 4); // warm-up: cuDNN chooses its kernels for this shape once
    const b = await runAll(cuda, inputs, 4);
    let maxDiff = 0;
    a.blocks.forEach((block, t) => block.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.blocks[t]!.data[i]!) / VALUE_MAX))));
    const ok = cuda.device === 'cuda' && maxDiff <= TOLERANCE;
    row = {
      ...row,
      auto: cuda.device,
      why: deviceLine.replace(/^.*running on \w+ \(/, '').replace(/\)$/, ''),
      'max|Δ| (model scale)': maxDiff.toExponential(2),
      'CPU ms/tile': a.ms / inputs.length,
      'CUDA ms/tile (batch 4)': b.ms / inputs.length,
      result: ok ? 'pass' : cuda.device !== 'cuda' ? 'FAIL: auto did not pick CUDA' : `FAIL: > ${TOLERANCE}`,
    };
  } catch (err) {
    row = { ...row, result: `FAIL: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  rows.push(row);
}
printTable(rows);
const path = saveJson('gpu-parity', {
  machine: machine(),
  ortVersion: ort.env.versions.common,
  gpu,
  tolerance: TOLERANCE,
  rows,
  date: new Date().toISOString(),
});
process.stdout.write(`saved ${path}\n`);
process.exitCode = rows.every((r) => r.result === 'pass') ? 0 : 1;
