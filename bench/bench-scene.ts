/**
 * @module bench/bench-scene
 * The synthetic scenes benchmarks run on: generated once into a folder and reused by later runs (a large scene
 * takes minutes to write).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticScene, type SyntheticSceneOptions } from '../main/engine/testing/synthetic-scene.ts';

export interface BenchSceneOptions extends Pick<SyntheticSceneOptions, 'sensor' | 'bands'> {
  readonly folder: string;
  /** Files are `<name>_pan.tif` and `<name>_ms.tif`. */
  readonly name: string;
  /** PAN width and height, pixels. */
  readonly sizePx: number;
}

/** The scene's files, written first when either is missing. */
export async function benchScene(options: BenchSceneOptions): Promise<{ panPath: string; msPath: string }> {
  const { folder, name, sizePx } = options;
  const panPath = join(folder, `${name}_pan.tif`);
  const msPath = join(folder, `${name}_ms.tif`);
  if (!existsSync(panPath) || !existsSync(msPath)) {
    const t0 = Date.now();
    process.stderr.write(`bench: generating a ${sizePx}×${sizePx} scene in ${folder}…\n`);
    await writeSyntheticScene({ folder, name, panWidth: sizePx, panHeight: sizePx, sensor: options.sensor, bands: options.bands });
    process.stderr.write(`bench: generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  return { panPath, msPath };
}
