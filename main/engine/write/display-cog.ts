/**
 * @module main/engine/write/display-cog
 * A Cloud Optimized GeoTIFF copy of an input raster for the map (tiled, with overviews), so the renderer reads PAN
 * and MS through HTTP Range like any output, whatever layout the source file has (strips, no overviews). Cached by
 * source path, size and modification time; made under a temporary name and renamed, so a cache entry is complete.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { OutputError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { openRaster } from '../io/raster-info.ts';
import { readBackFully } from './content-hash.ts';

export interface DisplayCogOptions {
  readonly sourcePath: string;
  readonly cacheDir: string;
}

export function displayCogPath(options: DisplayCogOptions): string {
  const st = statSync(options.sourcePath);
  const key = createHash('sha1').update(`${options.sourcePath}\n${st.size}\n${st.mtimeMs}`).digest('hex').slice(0, 16);
  return join(options.cacheDir, `${basename(options.sourcePath, extname(options.sourcePath))}-${key}.cog.tif`);
}

export async function ensureDisplayCog(options: DisplayCogOptions): Promise<string> {
  const target = displayCogPath(options);
  if (existsSync(target)) return target;
  mkdirSync(options.cacheDir, { recursive: true });
  const partial = `${target}.${process.pid}.partial.tif`;
  const source = await openRaster(options.sourcePath, 'display');
  try {
    const out = await gdal.translateAsync(partial, source, ['-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256', '-co', 'OVERVIEWS=AUTO']);
    out.close();
    // A cache entry must be whole: read it back before it takes its name (a full disk is not reported by GDAL).
    const check = await gdal.openAsync(partial);
    try {
      await readBackFully(check);
    } finally {
      check.close();
    }
    renameSync(partial, target);
    return target;
  } catch (err) {
    rmSync(partial, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new OutputError('display-copy-failed', `could not make a display copy of ${options.sourcePath} in ${options.cacheDir}: ${reason}`, {
      path: options.sourcePath,
    });
  } finally {
    source.close();
  }
}
