/**
 * @module main/engine/io/create-geotiff
 * Creates an empty GeoTIFF with its grid, CRS, band descriptions and nodata, opened for writing. gdal-async cannot
 * set band descriptions (no SetDescription), so the file is made by CreateCopy from an empty in-memory VRT that
 * carries them; SPARSE_OK keeps it from writing empty tiles.
 */
import { gdal, type Dataset } from './gdal.ts';

export interface CreateGeoTiffOptions {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bandDescriptions: readonly string[];
  readonly dataType: string;
  /** null: no georeference. */
  readonly geoTransform: readonly number[] | null;
  readonly crsWkt: string | null;
  readonly noData: number | null;
  readonly creationOptions: readonly string[];
  readonly metadata?: Readonly<Record<string, string>>;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function templateVrt(o: CreateGeoTiffOptions): string {
  const noData = o.noData === null ? '' : `<NoDataValue>${o.noData}</NoDataValue>`;
  const bands = o.bandDescriptions
    .map((d, i) => `<VRTRasterBand dataType="${o.dataType}" band="${i + 1}"><Description>${xmlEscape(d)}</Description>${noData}</VRTRasterBand>`)
    .join('');
  const srs = o.crsWkt ? `<SRS>${xmlEscape(o.crsWkt)}</SRS>` : '';
  const gt = o.geoTransform ? `<GeoTransform>${o.geoTransform.join(',')}</GeoTransform>` : '';
  const metadata = o.metadata
    ? `<Metadata>${Object.entries(o.metadata).map(([k, v]) => `<MDI key="${xmlEscape(k)}">${xmlEscape(v)}</MDI>`).join('')}</Metadata>`
    : '';
  return `<VRTDataset rasterXSize="${o.width}" rasterYSize="${o.height}">${srs}${gt}${metadata}${bands}</VRTDataset>`;
}

export async function createGeoTiff(options: CreateGeoTiffOptions): Promise<Dataset> {
  const template = await gdal.openAsync(templateVrt(options));
  try {
    const created = await gdal.drivers.get('GTiff').createCopyAsync(options.path, template, [...options.creationOptions, 'SPARSE_OK=TRUE']);
    created.close();
  } finally {
    template.close();
  }
  return gdal.openAsync(options.path, 'r+');
}
