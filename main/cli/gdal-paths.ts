/**
 * @module main/cli/gdal-paths
 * Paths from the command line: inputs may be anything GDAL opens (kept as given when virtual, else absolute);
 * outputs are local files, written beside their final name and renamed when complete.
 */
import { gdalInputPath, isGdalVirtualPath } from '../engine/io/gdal-path.ts';
import { UsageError } from './usage-error.ts';
import { resolve } from 'node:path';

export function inputPath(path: string): string {
  return gdalInputPath(path);
}

export function outputPath(path: string): string {
  if (isGdalVirtualPath(path))
    throw new UsageError(
      `--out must be a local file (outputs are written beside their final name and renamed when complete); got "${path}". Write locally, then copy (e.g. aws s3 cp)`,
    );
  return resolve(path);
}
