/**
 * @module main/engine/io/gdal-path
 * Inputs may be any path GDAL opens, not only files: virtual file systems (/vsizip/, /vsicurl/, /vsis3/, …) and
 * driver connection strings (NETCDF:"f.nc":var, HDF5:…). Those are passed to GDAL as given: normalising them as
 * file paths or checking them with the file system would break them. Plain paths are made absolute.
 */
import { isAbsolute, resolve } from 'node:path';

/** /vsizip/…, /vsicurl/…, /vsis3/…, /vsimem/…: GDAL's virtual file systems. */
const VIRTUAL_FS = /^\/vsi[a-z0-9_]+\//i;
/** DRIVER:rest, e.g. NETCDF:"file.nc":var or GPKG:file.gpkg:table (two letters at least, so C: is not one). */
const CONNECTION_STRING = /^[A-Z][A-Z0-9_]+:/;

/** True for a path that only GDAL can interpret (virtual file system or connection string). */
export function isGdalVirtualPath(path: string): boolean {
  return VIRTUAL_FS.test(path) || (CONNECTION_STRING.test(path) && !isAbsolute(path));
}

/** The path to give GDAL: virtual paths as they are, plain paths absolute (from the current directory). */
export function gdalInputPath(path: string): string {
  return isGdalVirtualPath(path) ? path : resolve(path);
}
