/**
 * @module main/engine/io/input-file
 * What may be read as an input: a regular file (or a symlink to one), or a GDAL virtual path (/vsizip/, /vsicurl/,
 * …) whose local part is one. A FIFO, a folder, a device or a socket is refused at once, before GDAL opens it: a
 * FIFO would block the open forever, a device could be read without end.
 */
import { statSync, type Stats } from 'node:fs';
import { InputError } from '../errors.ts';

/** Virtual paths that read the process's own streams: never an input (stdin would block the engine). */
const STREAM_PATHS = /^\/vsi(stdin|stdout)(\/|$)/i;

/** The local file behind a GDAL path: itself, or for `/vsizip/a/b.zip/x.tif` the archive `a/b.zip`; null when
 * the path names no local file (/vsicurl/, /vsimem/). */
export function localFileOf(path: string): string | null {
  if (!path.startsWith('/vsi')) return path;
  const rest = path.replace(/^\/vsi[a-z0-9_]+(?:\{[^}]*\})?/i, '');
  const parts = rest.split('/');
  for (let n = parts.length; n > 1; n--) {
    const candidate = parts.slice(0, n).join('/');
    try {
      statSync(candidate);
      return candidate;
    } catch {
      // keep shortening
    }
  }
  return null;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws an InputError naming the file unless `path` is a regular file or a GDAL virtual path over one. */
export function checkInputFile(path: string, role: string): void {
  if (STREAM_PATHS.test(path)) {
    throw new InputError('not-a-file', `${role} ${path} reads a stream, not a file; give a raster file`, { path, role });
  }
  const local = localFileOf(path);
  if (local === null) {
    if (path.startsWith('/vsi')) return; // remote or in-memory: GDAL reports what it cannot open
    throw new InputError('file-not-found', `${role} file not found: ${path}`, { path, role });
  }
  let st: Stats;
  try {
    st = statSync(local);
  } catch {
    throw new InputError('file-not-found', `${role} file not found: ${path}`, { path, role });
  }
  if (st.isDirectory() && local === path) {
    throw new InputError('not-a-raster', `${role} path is a folder, not a raster file: ${path}`, { path, role });
  }
  if (!st.isFile()) {
    throw new InputError(
      'not-a-file',
      `${role} ${local} is ${kindOf(st)}; PanForge reads rasters only from regular files or GDAL virtual paths (/vsi…) over them: ${path}`,
      {
        path,
        role,
      },
    );
  }
}
