/**
 * @module main/engine/jobs/preflight
 * Checks made after a scene is opened and before any pixel is read: the declared sizes against a pixel limit
 * (--max-pixels), the output's estimated size against the free space of its folder, and that no output is one of
 * the input files. A VRT can declare 10⁶ × 10⁶ pixels in a few bytes; these checks stop such a run at once with
 * both numbers instead of hours later.
 */
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import { checkFreeSpace, refuseOutputOverInputs } from '../write/output-path.ts';

/** 4 gigapixels of PAN (≈ 63 000²): above any single satellite scene PanForge targets; --max-pixels raises it. */
export const DEFAULT_MAX_PIXELS = 4e9;

const BYTES_PER_SAMPLE: Record<string, number> = { Byte: 1, UInt16: 2, Int16: 2, UInt32: 4, Int32: 4, Float32: 4 };

/** Refuses a scene whose PAN or MS declares more pixels than `maxPixels` (MS counted on the PAN grid). */
export function checkSceneSize(scene: Scene, maxPixels: number): void {
  const pan = scene.pan.width * scene.pan.height;
  const msOnPan = scene.ms.width * scene.ms.height * scene.ratio * scene.ratio;
  const [what, path, count, size] =
    pan >= msOnPan
      ? ['PAN', scene.pan.path, pan, `${scene.pan.width}×${scene.pan.height}`]
      : ['MS', scene.ms.path, msOnPan, `${scene.ms.width}×${scene.ms.height} (×${scene.ratio}² on the PAN grid)`];
  if (count > maxPixels) {
    throw new InputError(
      'too-large',
      `${what} ${basename(path)} declares ${size} = ${count.toExponential(2)} pixels, more than the limit of ${maxPixels.toExponential(2)}; pass --max-pixels ${Math.ceil(count)} if this is really meant: ${path}`,
      { path, pixels: count, maxPixels },
    );
  }
}

export interface OutputEstimate {
  readonly region: PixelWindow;
  readonly bands: number;
  readonly dataType: string;
  readonly compressed: boolean;
  readonly cog: boolean;
}

/**
 * Bytes an output will need at most, roughly: uncompressed pixels, halved when compressed (ZSTD/DEFLATE/LZW keep
 * 40–70 % of imagery), and for a COG also the temporary GeoTIFF it is copied from plus a third for overviews.
 */
export function estimateOutputBytes(o: OutputEstimate): { bytes: number; how: string } {
  const raw = o.region.width * o.region.height * o.bands * (BYTES_PER_SAMPLE[o.dataType] ?? 4);
  const stored = o.compressed ? raw / 2 : raw;
  const bytes = Math.ceil(o.cog ? stored * (1 + 4 / 3) : stored);
  const how = `${o.region.width}×${o.region.height} px × ${o.bands} bands ${o.dataType}${o.compressed ? ', compressed to about half' : ''}${o.cog ? ', plus the temporary GeoTIFF a COG is made from' : ''}`;
  return { bytes, how };
}

/** Every output check that needs the opened scene: not an input, fits the folder. */
export function checkOutputs(scene: Scene, outputs: readonly { path: string; estimate: OutputEstimate }[]): void {
  refuseOutputOverInputs(
    outputs.map((o) => o.path),
    scene.inputFiles,
  );
  if (outputs.length === 0) return;
  // Outputs of one run share a folder tree (one file system): their sum must fit.
  const estimates = outputs.map((o) => estimateOutputBytes(o.estimate));
  const bytes = estimates.reduce((sum, e) => sum + e.bytes, 0);
  checkFreeSpace(outputs[0]!.path, bytes, outputs.length === 1 ? estimates[0]!.how : `${outputs.length} rasters; the first ${estimates[0]!.how}`);
}
