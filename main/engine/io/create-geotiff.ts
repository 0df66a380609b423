/**
 * @module main/engine/io/create-geotiff
 * Creates an empty GeoTIFF with its grid, CRS, band descriptions and nodata, opened for writing. gdal-async cannot
 * set band descriptions (no SetDescription), so the file is made by CreateCopy from an empty in-memory VRT that
 * carries them; SPARSE_OK keeps it from writing empty tiles.
 * Colour: the TIFF is MINISBLACK (multispectral bands in sensor order are not an RGB image) and each band's GDAL
 * colour interpretation follows its name: Red, Green and Blue where the band is one, Undefined otherwise (GDAL 3.6
 * has no NIR/RedEdge/Coastal interpretations). GIS viewers then map colours by band, never blue as red.
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

const NAMED_COLOURS: Record<string, string> = { red: 'Red', green: 'Green', blue: 'Blue' };

/** GDAL's colour interpretation for a band named `description` (Red/Green/Blue, else Undefined). */
export function colorInterpretationFor(description: string): string {
  return NAMED_COLOURS[description.trim().toLowerCase()] ?? 'Undefined';
}

function templateVrt(o: CreateGeoTiffOptions): string {
  const noData = o.noData === null ? '' : `<NoDataValue>${o.noData}</NoDataValue>`;
  const bands = o.bandDescriptions
    .map(
      (d, i) =>
        `<VRTRasterBand dataType="${o.dataType}" band="${i + 1}"><Description>${xmlEscape(d)}</Description><ColorInterp>${colorInterpretationFor(d)}</ColorInterp>${noData}</VRTRasterBand>`,
    )
    .join('');
  const srs = o.crsWkt ? `<SRS>${xmlEscape(o.crsWkt)}</SRS>` : '';
  const gt = o.geoTransform ? `<GeoTransform>${o.geoTransform.join(',')}</GeoTransform>` : '';
  const metadata = o.metadata
    ? `<Metadata>${Object.entries(o.metadata)
        .map(([k, v]) => `<MDI key="${xmlEscape(k)}">${xmlEscape(v)}</MDI>`)
        .join('')}</Metadata>`
    : '';
  return `<VRTDataset rasterXSize="${o.width}" rasterYSize="${o.height}">${srs}${gt}${metadata}${bands}</VRTDataset>`;
}

export async function createGeoTiff(options: CreateGeoTiffOptions): Promise<Dataset> {
  const template = await gdal.openAsync(templateVrt(options));
  try {
    const photometric = options.creationOptions.some((o) => o.toUpperCase().startsWith('PHOTOMETRIC=')) ? [] : ['PHOTOMETRIC=MINISBLACK'];
    const created = await gdal.drivers.get('GTiff').createCopyAsync(options.path, template, [...photometric, ...options.creationOptions, 'SPARSE_OK=TRUE']);
    created.close();
  } finally {
    template.close();
  }
  return gdal.openAsync(options.path, 'r+');
}
