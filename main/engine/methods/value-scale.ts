/**
 * @module main/engine/methods/value-scale
 * The scene's effective bit depth, which fixes the DN that networks see as 1.0 (2^bits − 1): declared metadata
 * (BIT_DEPTH/NBITS) wins; else Byte is 8-bit; else the smallest usual sensor depth (8, 10, 11, 12, 14, 16) that
 * holds the sampled maximum. Float data whose maximum is ≤ 1 is taken as reflectance (1.0 = 1).
 */
import type { Scene } from '../io/open-scene.ts';
import type { SceneSample } from './scene-sample.ts';

export interface ValueScale {
  readonly bitDepth: number | null;
  readonly valueMax: number;
  readonly source: 'metadata' | 'data-type' | 'sampled-maximum';
}

const USUAL_DEPTHS = [8, 10, 11, 12, 14, 16];

export function resolveValueScale(scene: Scene, sample: SceneSample): ValueScale {
  const declared = scene.ms.declaredBitDepth ?? scene.pan.declaredBitDepth;
  if (declared !== null) return { bitDepth: declared, valueMax: 2 ** declared - 1, source: 'metadata' };
  if (scene.ms.dataType === 'Byte') return { bitDepth: 8, valueMax: 255, source: 'data-type' };
  const isFloat = scene.ms.dataType.startsWith('Float');
  if (isFloat && sample.maxValue <= 1) return { bitDepth: null, valueMax: 1, source: 'sampled-maximum' };
  const bits = USUAL_DEPTHS.find((b) => 2 ** b - 1 >= sample.maxValue) ?? 16;
  return { bitDepth: bits, valueMax: 2 ** bits - 1, source: 'sampled-maximum' };
}
