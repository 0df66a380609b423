/**
 * @module main/engine/evaluate/map-writer
 * A one-band Float32 GeoTIFF for a per-pixel quality map (spectral angle, relative difference), NaN as nodata, on the
 * grid of the outputs it describes. It goes through GeoTiffWriter, so it appears as NAME.partial.tif while written
 * and under its name only when complete; parts never written read as NaN (sparse tiles, nodata NaN).
 */
import type { GeoTransform } from '../raster/geo-transform.ts';
import { softwareVersion } from '../version.ts';
import { GeoTiffWriter } from '../write/geotiff-writer.ts';

export interface MapGrid {
  readonly width: number;
  readonly height: number;
  readonly geoTransform: GeoTransform;
  readonly crsWkt: string;
}

export interface MapWriterOptions {
  readonly path: string;
  readonly grid: MapGrid;
  /** Band description, e.g. "spectral angle to reference (degrees)". */
  readonly description: string;
  readonly overwrite: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}

export function createMapWriter(options: MapWriterOptions): Promise<GeoTiffWriter> {
  const { grid } = options;
  return GeoTiffWriter.create({
    path: options.path,
    width: grid.width,
    height: grid.height,
    bandDescriptions: [options.description],
    dataType: 'Float32',
    geoTransform: grid.geoTransform,
    crsWkt: grid.crsWkt,
    noData: NaN,
    compression: 'ZSTD',
    overwrite: options.overwrite,
    metadata: { ...options.metadata, PANFORGE_MAP: options.description, TIFFTAG_SOFTWARE: `PanForge ${softwareVersion}` },
  });
}
