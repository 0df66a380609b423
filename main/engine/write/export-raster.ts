/**
 * @module main/engine/write/export-raster
 * Exports (part of) a raster the app shows: GeoTIFF or COG, data type, compression, band subset, map extent or the
 * full raster. gdal_translate does the work into `<name>.partial.tif`, renamed into place only when complete.
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { OutputError } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import { openRaster } from '../io/raster-info.ts';
import { readBackFully } from './content-hash.ts';
import { checkOutputPath, partialPathFor, refuseOutputOverInputs, writeFailure } from './output-path.ts';

export type ExportFormat = 'GTiff' | 'COG';
export type ExportDataType = 'source' | 'Byte' | 'UInt16' | 'Int16' | 'Float32';
export type ExportCompression = 'NONE' | 'DEFLATE' | 'LZW' | 'ZSTD';

export interface ExportRasterOptions {
  readonly sourcePath: string;
  readonly outPath: string;
  /** [default 'GTiff'] */
  readonly format?: ExportFormat;
  /** [default 'source'] */
  readonly dataType?: ExportDataType;
  /** [default 'DEFLATE'] */
  readonly compression?: ExportCompression;
  /** 0-based band indexes in output order; empty or absent = every band. */
  readonly bandIndexes?: readonly number[];
  /** [minX, minY, maxX, maxY] in the raster's CRS; absent = the full raster. */
  readonly extent?: readonly [number, number, number, number] | null;
  /** Byte output scales [0, this] to [0, 255] instead of clipping (e.g. 2047 for 11-bit data) [default none]. */
  readonly byteScaleMax?: number | null;
  /**
   * Byte output maps [lo, hi] of each source band (0-based, as the map's display stretch shows it) to [0, 255],
   * clipping outside; wins over byteScaleMax. A bit-depth rescale leaves most scenes dark (their values fill a
   * fraction of the range) [default none].
   */
  readonly byteRanges?: readonly (readonly [number, number])[] | null;
  /** [default false] */
  readonly overwrite?: boolean;
}

export interface ExportRasterResult {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bandCount: number;
  readonly dataType: string;
  readonly format: ExportFormat;
  readonly sizeBytes: number;
  readonly elapsedMs: number;
}

/** gdal_translate arguments for the options (exported for tests: the argument list is the contract with GDAL). */
export function exportArgs(options: ExportRasterOptions, sourceBandCount: number): string[] {
  const format = options.format ?? 'GTiff';
  const compression = options.compression ?? 'DEFLATE';
  const args = ['-of', format, '-co', `COMPRESS=${compression}`];
  if (format === 'GTiff') args.push('-co', 'TILED=YES', '-co', 'BIGTIFF=IF_SAFER');
  else args.push('-co', 'BLOCKSIZE=256', '-co', 'OVERVIEWS=AUTO');
  const dataType = options.dataType ?? 'source';
  if (dataType !== 'source') args.push('-ot', dataType);
  const bands = options.bandIndexes?.length ? options.bandIndexes : Array.from({ length: sourceBandCount }, (_, i) => i);
  for (const index of bands) {
    if (!Number.isInteger(index) || index < 0 || index >= sourceBandCount) {
      throw new OutputError('band-index', `export band index ${index} is outside the source's bands 0..${sourceBandCount - 1}`, {
        got: index,
        expected: [0, sourceBandCount - 1],
      });
    }
  }
  if (dataType === 'Byte' && options.byteRanges) {
    // -scale_N is per output band N; with -ot Byte gdal_translate clips outside 0–255.
    bands.forEach((index, i) => {
      const [lo, hi] = options.byteRanges![index] ?? [0, options.byteScaleMax ?? 255];
      args.push(`-scale_${i + 1}`, String(lo), String(hi > lo ? hi : lo + 1), '0', '255');
    });
  } else if (dataType === 'Byte' && options.byteScaleMax) {
    args.push('-scale', '0', String(options.byteScaleMax), '0', '255');
  }
  for (const index of options.bandIndexes ?? []) args.push('-b', String(index + 1));
  if (options.extent) {
    const [minX, minY, maxX, maxY] = options.extent;
    // -projwin is ulx uly lrx lry; -projwin_srs is unnecessary: the extent is in the raster's CRS.
    args.push('-projwin', String(minX), String(maxY), String(maxX), String(minY));
  }
  return args;
}

export async function exportRaster(options: ExportRasterOptions): Promise<ExportRasterResult> {
  const started = Date.now();
  checkOutputPath(options.outPath, options.overwrite ?? false);
  const source = await openRaster(options.sourcePath, 'export source');
  const partial = partialPathFor(options.outPath);
  try {
    refuseOutputOverInputs([options.outPath], [options.sourcePath, ...source.getFileList()]);
    const args = exportArgs(options, source.bands.count());
    let out;
    try {
      out = await gdal.translateAsync(partial, source, args);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new OutputError('export-failed', `export of ${basename(options.sourcePath)} to ${options.outPath} failed: ${reason.trim()}`, {
        path: options.outPath,
        args,
      });
    }
    const result = { width: out.rasterSize.x, height: out.rasterSize.y, bandCount: out.bands.count(), dataType: out.bands.get(1).dataType ?? 'Unknown' };
    out.close();
    try {
      const check = await gdal.openAsync(partial);
      try {
        await readBackFully(check);
      } finally {
        check.close();
      }
      renameSync(partial, options.outPath);
    } catch (err) {
      throw writeFailure(options.outPath, err);
    }
    return { path: options.outPath, ...result, format: options.format ?? 'GTiff', sizeBytes: statSync(options.outPath).size, elapsedMs: Date.now() - started };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
}
