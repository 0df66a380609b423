/**
 * @module main/cli/output-format
 * The output format (`--of`, `--cog`, the file extension) and GDAL creation options (`-co KEY=VALUE`) from the
 * command line. Only GeoTIFF and COG are written; another format or a mismatching extension is refused with the
 * list of supported ones, never silently written as GeoTIFF under another name.
 */
import { extname } from 'node:path';
import type { OutputFormat } from '../engine/write/creation-options.ts';
import { suggestion } from './did-you-mean.ts';
import { UsageError } from './usage-error.ts';

const FORMATS: Record<OutputFormat, readonly string[]> = { GTiff: ['.tif', '.tiff'], COG: ['.tif', '.tiff'] };
const SUPPORTED = `supported: ${Object.entries(FORMATS)
  .map(([f, ext]) => `${f} (${ext.join(', ')})`)
  .join(', ')}`;

export const SHARPEN_FORMAT_HELP = `        --of FORMAT       GTiff (default) | COG; OUT must end in .tif or .tiff (convert other formats with
                          gdal_translate afterwards)
        -co KEY=VALUE     GDAL creation option, repeatable, e.g. -co COMPRESS=DEFLATE -co PREDICTOR=2
                          -co BIGTIFF=YES -co BLOCKSIZE=512 (overrides PanForge's defaults: tiled 256 px,
                          ZSTD with a predictor, BIGTIFF=IF_SAFER)`;

/** How the commands that write fused rasters (sharpen, batch) take the GeoTIFF's format, creation options,
 * compression and data type. */
export const GEOTIFF_OPTIONS = {
  cog: { type: 'boolean' },
  of: { type: 'string' },
  co: { type: 'string', multiple: true },
  float32: { type: 'boolean' },
  compress: { type: 'string' },
} as const;

export function checkOutputFormat(outPath: string, of: string | undefined, cog: boolean): OutputFormat {
  let format: OutputFormat = cog ? 'COG' : 'GTiff';
  if (of !== undefined) {
    const match = (Object.keys(FORMATS) as OutputFormat[]).find((f) => f.toLowerCase() === of.toLowerCase());
    if (!match) throw new UsageError(`output format "${of}" is not supported${suggestion(of, Object.keys(FORMATS))}; ${SUPPORTED}`);
    if (cog && match !== 'COG') throw new UsageError(`--cog and --of ${of} disagree; use one of them`);
    format = match;
  }
  const ext = extname(outPath).toLowerCase();
  if (!FORMATS[format].includes(ext)) {
    throw new UsageError(`${outPath}: the extension "${ext || '(none)'}" does not name a format PanForge writes; ${SUPPORTED}`);
  }
  return format;
}

/** `KEY=VALUE` strings, keys upper-cased; a malformed one is a usage error. */
export function parseCreationOptions(items: readonly string[]): string[] {
  return items.map((item) => {
    const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/.exec(item);
    if (!m || m[2] === '') throw new UsageError(`-co needs KEY=VALUE (e.g. -co COMPRESS=DEFLATE); got "${item}"`);
    return `${m[1]!.toUpperCase()}=${m[2]}`;
  });
}
