/**
 * @module main/engine/io/raster-info
 * What PanForge needs to know about one raster file, read once at open: size, georeference, bands, data type,
 * nodata, bit depth and sensor. Every failure is an InputError naming the file.
 */
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import { isIdentity } from '../raster/geo-transform.ts';
import { gdal, type Dataset } from './gdal.ts';
import { checkInputFile } from './input-file.ts';

export interface CrsInfo {
  readonly wkt: string;
  /** PROJ string for proj4js in the renderer; '' when GDAL cannot express the CRS as one. */
  readonly proj4: string;
  /** e.g. "EPSG:32618", or null when the CRS has no authority code. */
  readonly code: string | null;
  readonly name: string;
  /** 'degree' for a geographic CRS (longitude/latitude), 'metre' for a metric projected one, else 'other'. */
  readonly units: 'metre' | 'degree' | 'other';
  /** Length of one linear unit in metres (1 for metres, 0.3048… for feet); NaN for a geographic CRS. */
  readonly metresPerUnit: number;
}

export interface BandInfo {
  /** GDAL's 1-based band number. */
  readonly bandNumber: number;
  readonly description: string;
  /** GDAL's colour interpretation ("Red", "Gray", "Undefined"…), or null. */
  readonly colorInterp: string | null;
  readonly noData: number | null;
  readonly blockSizePx: { readonly width: number; readonly height: number };
}

export type BitDepthSource = 'metadata' | 'data-type' | 'sampled-maximum';

export interface RasterInfo {
  readonly path: string;
  readonly driver: string;
  readonly width: number;
  readonly height: number;
  readonly bandCount: number;
  /** GDAL data type name of band 1 (e.g. "UInt16"). */
  readonly dataType: string;
  readonly crs: CrsInfo | null;
  readonly geoTransform: GeoTransform | null;
  readonly bands: readonly BandInfo[];
  /** Declared bit depth (BIT_DEPTH / NBITS metadata), or null; the scene decides the effective one. */
  readonly declaredBitDepth: number | null;
  readonly sensor: string | null;
  readonly metadata: Readonly<Record<string, string>>;
}

const SENSOR_KEYS = ['SENSOR', 'SATELLITE', 'SATELLITEID', 'SPACECRAFT', 'MISSION'];

/** Opens a raster read-only, turning GDAL's failures into InputErrors that name the file. */
export async function openRaster(path: string, role: string): Promise<Dataset> {
  checkInputFile(path, role);
  let ds: Dataset;
  try {
    ds = await gdal.openAsync(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError('not-a-raster', `${role} file ${basename(path)} is not a raster GDAL can read (${reason.trim()}): ${path}`, {
      path,
      role,
      reason,
    });
  }
  // A VRT names other files; one of them must not be a FIFO or a device either (GDAL would block reading it).
  try {
    for (const file of ds.getFileList()) if (file !== path) checkInputFile(file, `${role} (through ${basename(path)})`);
  } catch (err) {
    ds.close();
    throw err;
  }
  return ds;
}

function describeCrs(ds: Dataset): CrsInfo | null {
  const srs = ds.srs;
  if (!srs) return null;
  let proj4 = '';
  try {
    proj4 = srs.toProj4();
  } catch {
    // Some CRSs (e.g. with custom datums) have no PROJ.4 form; the map then falls back to the WKT name.
  }
  let code: string | null = null;
  try {
    srs.autoIdentifyEPSG();
  } catch {
    // Not identifiable: fine, we keep the WKT.
  }
  const authority = srs.getAuthorityName(null);
  const authorityCode = srs.getAuthorityCode(null);
  if (authority && authorityCode) code = `${authority}:${authorityCode}`;
  const name = srs.getAttrValue('PROJCS') || srs.getAttrValue('GEOGCS') || code || 'unnamed CRS';
  if (srs.isGeographic()) return { wkt: srs.toWKT(), proj4, code, name, units: 'degree', metresPerUnit: NaN };
  const linear = srs.getLinearUnits();
  const metresPerUnit = Number.isFinite(linear.value) && linear.value > 0 ? linear.value : 1;
  return { wkt: srs.toWKT(), proj4, code, name, units: metresPerUnit === 1 ? 'metre' : 'other', metresPerUnit };
}

function parseBitDepth(value: string | undefined): number | null {
  if (value === undefined) return null;
  const bits = Number.parseInt(value, 10);
  return Number.isInteger(bits) && bits >= 1 && bits <= 32 ? bits : null;
}

export function readRasterInfoFromDataset(ds: Dataset, path: string): RasterInfo {
  const metadata: Record<string, string> = { ...(ds.getMetadata() as Record<string, string>) };
  const structure = ds.getMetadata('IMAGE_STRUCTURE') as Record<string, string>;
  const bands: BandInfo[] = [];
  for (let n = 1; n <= ds.bands.count(); n++) {
    const band = ds.bands.get(n);
    bands.push({
      bandNumber: n,
      description: band.description,
      colorInterp: band.colorInterpretation ?? null,
      noData: band.noDataValue,
      blockSizePx: { width: band.blockSize.x, height: band.blockSize.y },
    });
  }
  const band1Structure = bands.length ? (ds.bands.get(1).getMetadata('IMAGE_STRUCTURE') as Record<string, string>) : {};
  const gt = ds.geoTransform;
  const geoTransform = gt && gt.length === 6 && !isIdentity(gt as unknown as GeoTransform) ? (gt as unknown as GeoTransform) : null;
  const sensorKey = SENSOR_KEYS.find((key) => metadata[key]);
  return {
    path,
    driver: ds.driver.description,
    width: ds.rasterSize.x,
    height: ds.rasterSize.y,
    bandCount: bands.length,
    dataType: bands.length ? (ds.bands.get(1).dataType ?? 'Unknown') : 'Unknown',
    crs: describeCrs(ds),
    geoTransform,
    bands,
    declaredBitDepth: parseBitDepth(metadata.BIT_DEPTH) ?? parseBitDepth(band1Structure.NBITS) ?? parseBitDepth(structure.NBITS),
    sensor: sensorKey ? (metadata[sensorKey] ?? null) : null,
    metadata,
  };
}

export async function readRasterInfo(path: string, role: string): Promise<RasterInfo> {
  const ds = await openRaster(path, role);
  try {
    return readRasterInfoFromDataset(ds, path);
  } finally {
    ds.close();
  }
}
