// The synthetic scenes of e2e/scenes.spec.ts, one per case analysts meet: a geographic CRS, an MS the app must
// resample (half-pixel shift, float reflectance), ratio 2 with the MS half an MS pixel off, a near-integer ratio,
// and 8 bands with neither names nor SENSOR metadata. Written by the global setup into a folder the host allows.
import { join } from 'node:path';
import { writeSyntheticScene, type SyntheticSceneOptions } from '../main/engine/testing/synthetic-scene.ts';

export const SYNTHETIC_CASES = {
  geographic: { panWidth: 256, panHeight: 256, epsg: 4326, origin: [121.75, 31.24], panPixelM: 0.0000045 },
  'float-offset': { panWidth: 256, panHeight: 256, dataType: 'Float32', bitDepth: null, msOffsetPx: [1.5, 0.5] },
  ratio2: { panWidth: 256, panHeight: 256, ratio: 2, msOffsetPx: [1, 1] },
  'near-ratio': { panWidth: 256, panHeight: 256, panPixelM: 0.498, msPixelM: 2.0 },
  'eight-unnamed': { panWidth: 256, panHeight: 256, bands: 8, bandNames: 'none', sensor: null },
} as const satisfies Record<string, Omit<SyntheticSceneOptions, 'folder' | 'name'>>;

export type SyntheticCase = keyof typeof SYNTHETIC_CASES;

export function syntheticFiles(folder: string, name: SyntheticCase): { panPath: string; msPath: string } {
  return { panPath: join(folder, `${name}_pan.tif`), msPath: join(folder, `${name}_ms.tif`) };
}

export async function writeSyntheticCases(folder: string): Promise<void> {
  for (const [name, options] of Object.entries(SYNTHETIC_CASES)) await writeSyntheticScene({ ...options, folder, name });
}
