/**
 * @module scripts/model-seam-check
 * How much a network's output depends on the tiling, measured through the engine on a real scene:
 *
 *   node --import tsx scripts/model-seam-check.ts --pan P.tif --ms M.tif --method cf2n [--tile 512] [--window 1280]
 *
 * Sharpens a `window`² PAN-pixel region at the scene's origin twice with the manifest's overlap: tiled (cores of
 * `tile` px) and untiled (one core covering the region), both Float32, and prints one JSON line with the largest
 * and mean absolute difference and the largest difference relative to the untiled output's data range (max − min
 * over all bands). The bar is maxRelToRange < 0.005.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readWholeRaster } from '../main/engine/io/read-raster.ts';
import { sharpen } from '../main/engine/jobs/sharpen.ts';

/** A Float32 output in full (as float64 the read is exact, and so is the way back). */
async function readFloat32(path: string): Promise<Float32Array> {
  return Float32Array.from((await readWholeRaster(path)).data);
}

export interface SeamDifference {
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  readonly dataRange: number;
  readonly maxRelToRange: number;
}

export function seamDifference(tiled: Float32Array, untiled: Float32Array): SeamDifference {
  if (tiled.length !== untiled.length) throw new Error(`outputs differ in size: ${tiled.length} vs ${untiled.length} values`);
  let max = 0;
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < untiled.length; i++) {
    const d = Math.abs(tiled[i]! - untiled[i]!);
    if (d > max || Number.isNaN(d)) max = d; // a NaN sticks: no later d > NaN
    sum += d;
    lo = Math.min(lo, untiled[i]!);
    hi = Math.max(hi, untiled[i]!);
  }
  const dataRange = hi - lo;
  return { maxAbsDiff: max, meanAbsDiff: sum / untiled.length, dataRange, maxRelToRange: max / dataRange };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { pan: { type: 'string' }, ms: { type: 'string' }, method: { type: 'string' }, tile: { type: 'string' }, window: { type: 'string' } },
  });
  if (!values.pan || !values.ms || !values.method) throw new Error('usage: --pan P.tif --ms M.tif --method ID [--tile 512] [--window PX]');
  const tile = Number(values.tile ?? 512);
  const work = mkdtempSync(join(tmpdir(), 'panforge-seam-'));
  try {
    const common = { panPath: values.pan, msPath: values.ms, method: values.method, overwrite: true, dataType: 'Float32' as const, device: 'cpu' as const };
    const size = values.window ? Number(values.window) : null;
    const window = size ? { colOff: 0, rowOff: 0, width: size, height: size } : undefined;
    const t0 = performance.now();
    const tiled = await sharpen({ ...common, outPath: join(work, 'tiled.tif'), tileSizePx: tile, ...(window ? { window } : {}) });
    const t1 = performance.now();
    const untiled = await sharpen({
      ...common,
      outPath: join(work, 'untiled.tif'),
      tileSizePx: Math.max(tiled.width, tiled.height),
      ...(window ? { window } : {}),
    });
    const t2 = performance.now();
    const diff = seamDifference(await readFloat32(join(work, 'tiled.tif')), await readFloat32(join(work, 'untiled.tif')));
    const report = {
      method: values.method,
      model: tiled.modelName,
      region: [tiled.width, tiled.height],
      tileSizePx: tiled.tileSizePx,
      tiles: tiled.tiles,
      overlapPx: tiled.overlapPx,
      ...diff,
      passes: diff.maxRelToRange < 0.005,
      seconds: { tiled: Math.round((t1 - t0) / 100) / 10, untiled: Math.round((t2 - t1) / 100) / 10 },
      untiledTiles: untiled.tiles,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`model-seam-check: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
