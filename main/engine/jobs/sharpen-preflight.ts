/**
 * @module main/engine/jobs/sharpen-preflight
 * What a sharpen run checks before it reads a pixel: that its output (and the adaptation record beside it) may be
 * written, then, with the scene open, its size, the part of the region to fuse, the output's data type and that
 * the output fits its folder.
 */
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { adaptationSidecarPath } from '../adapt/fusion-choice.ts';
import { OutputError } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import { intersectWindows, type PixelWindow, snapWindowOut, translateWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import type { OutputDataType } from '../write/geotiff-writer.ts';
import { checkOutputPath, sweepStalePartials } from '../write/output-path.ts';
import { checkOutputs, checkSceneSize, DEFAULT_MAX_PIXELS } from './preflight.ts';
import type { SharpenOptions } from './sharpen.ts';

/** Refuses an output path the run may not write, and clears stale partial files from its folder. */
export function checkSharpenTarget(options: SharpenOptions): void {
  checkOutputPath(options.outPath, options.overwrite ?? false);
  // Leftovers of a run in this folder that was killed before it could clean up (their writer's pid is gone).
  sweepStalePartials(dirname(options.outPath));
  const mayAdapt = options.adapt || options.adaptFrom || options.method.toLowerCase() === 'auto';
  if (mayAdapt && !options.overwrite && existsSync(adaptationSidecarPath(options.outPath))) {
    throw new OutputError(
      'output-exists',
      `output exists: ${adaptationSidecarPath(options.outPath)} (the adaptation record beside ${basename(options.outPath)}); choose another name or pass --overwrite`,
      {
        path: adaptationSidecarPath(options.outPath),
      },
    );
  }
}

export interface SharpenOutputPlan {
  /** The PAN pixels to fuse (scene coordinates). */
  readonly region: PixelWindow;
  readonly dataType: OutputDataType;
}

/** Checks the opened scene against the limits and the output's folder; returns what will be written. */
export function planSharpenOutput(scene: Scene, options: SharpenOptions): SharpenOutputPlan {
  checkSceneSize(scene, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const region = restrictRegion(scene, options.window);
  const dataType = outputTypeFor(scene, options.dataType ?? 'source');
  checkOutputs(scene, [
    {
      path: options.outPath,
      estimate: { region, bands: scene.bandCount, dataType, compressed: (options.compression ?? 'ZSTD') !== 'NONE', cog: options.cog ?? false },
    },
  ]);
  return { region, dataType };
}

const SUPPORTED_OUTPUT_TYPES: readonly OutputDataType[] = ['Byte', 'UInt16', 'Int16', 'UInt32', 'Int32', 'Float32'];

function outputTypeFor(scene: Scene, requested: 'source' | 'Float32'): OutputDataType {
  if (requested === 'Float32') return 'Float32';
  const t = scene.ms.dataType as OutputDataType;
  return SUPPORTED_OUTPUT_TYPES.includes(t) ? t : 'Float32';
}

function restrictRegion(scene: Scene, window: PixelWindow | undefined): PixelWindow {
  if (!window) return scene.region;
  const r = scene.ratio;
  const { region } = scene;
  // Snap outward to whole MS pixels (the region's origin is an MS pixel corner), then keep what is inside the region.
  const snapped = translateWindow(snapWindowOut(windowRelativeTo(window, region), r), region.colOff, region.rowOff);
  const restricted = intersectWindows(snapped, region);
  if (!restricted || restricted.width < 2 * r || restricted.height < 2 * r) {
    throw new RangeError(`window ${JSON.stringify(window)} does not overlap the scene's processing region ${JSON.stringify(region)}`);
  }
  return restricted;
}
