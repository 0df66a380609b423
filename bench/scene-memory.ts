/**
 * @module bench/scene-memory
 * Memory stays flat in scene size: sharpens generated scenes of increasing size (default 3000² and 12000² PAN,
 * 4 bands) in fresh processes and records peak RSS, throughput and stage times. The 12000² scene (≈ 430 MB of
 * GeoTIFFs) is generated once into the OS temp folder and reused.
 * Usage: npm run bench -- memory [--sizes 3000,12000] [--method exp] [--tile 512]
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchScene } from './bench-scene.ts';
import { machine, printTable, saveJson, type Row } from './table.ts';

export async function benchSceneMemory(options: { sizes: number[]; method: string; tileSizePx: number }): Promise<Row[]> {
  const rows: Row[] = [];
  const child = fileURLToPath(new URL('./sharpen-child.ts', import.meta.url));
  for (const size of options.sizes) {
    const folder = join(tmpdir(), 'panforge-bench', `scene-${size}`);
    const { panPath, msPath } = await benchScene({ folder, name: 'bench', sizePx: size, bands: 4 });
    const outPath = join(folder, `out-${options.method}.tif`);
    rmSync(outPath, { force: true });
    const sharpenOptions = { panPath, msPath, method: options.method, outPath, tileSizePx: options.tileSizePx, overwrite: true };
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(sharpenOptions)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const { result, peakRssMiB } = JSON.parse(stdout.trim().split('\n').pop()!);
    rmSync(outPath, { force: true });
    rows.push({
      scene: `${size}²`,
      method: options.method,
      megapixels: (size * size) / 1e6,
      tiles: result.tiles,
      seconds: result.elapsedMs / 1000,
      'MP/s': result.megapixelsPerSecond,
      'infer/wall': result.timings.inferMs / result.timings.wallMs,
      peakRssMiB,
    });
  }
  return rows;
}

export async function runSceneMemory(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  const sizes = arg('sizes', '3000,12000').split(',').map(Number);
  const method = arg('method', 'exp');
  const rows = await benchSceneMemory({ sizes, method, tileSizePx: Number(arg('tile', '512')) });
  printTable(rows);
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const growth = Number(last.peakRssMiB) / Number(first.peakRssMiB);
  process.stdout.write(`\npeak RSS ${last.scene} / ${first.scene} = ${growth.toFixed(2)} (target ≤ 1.20: ${growth <= 1.2 ? 'met' : 'MISSED'})\n`);
  const path = saveJson('scene-memory', { machine: machine(), rows, rssGrowth: growth, date: new Date().toISOString() });
  process.stdout.write(`saved ${path}\n`);
}
