/**
 * @module main/app-core/raster-response
 * Serves a registered raster with HTTP Range, as a plain description (status, headers, byte range of a file)
 * that both the browser host's HTTP server and Electron's `protocol.handle` turn into their own response. Only
 * rasters the engine announced are in the registry; a URL names a layerId, never a path.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** layerId → file, filled only from the engine's raster announcements. */
export class RasterRegistry {
  private readonly paths = new Map<string, string>();

  register(layerId: string, path: string): void {
    this.paths.set(layerId, path);
  }

  pathFor(layerId: string): string | null {
    return this.paths.get(layerId) ?? null;
  }
}

/** `<layerId>.tif` → layerId; anything else (slashes, dots, encoded characters) → null. */
export function layerIdFromFileName(fileName: string): string | null {
  const m = /^([A-Za-z0-9_-]{1,128})\.tif$/.exec(fileName);
  return m ? m[1]! : null;
}

export interface RasterResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Inclusive byte range of `path` to send; null = no body (HEAD, errors, empty range). */
  readonly body: { readonly path: string; readonly start: number; readonly end: number } | null;
}

export interface RasterRequest {
  /** The registered file, or null when the layerId is unknown. */
  readonly path: string | null;
  readonly method: string;
  /** The Range header, if any. */
  readonly range: string | null | undefined;
}

function plain(status: number, extra: Record<string, string> = {}): RasterResponse {
  return { status, headers: { 'Content-Length': '0', ...extra }, body: null };
}

/**
 * One `bytes=` range, as inclusive [start, end] clipped to the file; 'unsatisfiable' when it starts past the end;
 * null when there is no usable single range (absent, malformed or several ranges: RFC 9110 lets a server ignore
 * those and send the whole file).
 */
export function parseByteRange(header: string | null | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (m[2] !== '' && end < start) return null;
  if (start >= size) return 'unsatisfiable';
  return [start, Math.min(end, size - 1)];
}

export function planRasterResponse(request: RasterRequest): RasterResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, { Allow: 'GET, HEAD' });
  if (request.path === null) return plain(404);
  let size: number;
  try {
    const st = statSync(request.path);
    if (!st.isFile()) return plain(404);
    size = st.size;
  } catch {
    return plain(404);
  }
  const base = { 'Content-Type': 'image/tiff', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
  const range = parseByteRange(request.range, size);
  if (range === 'unsatisfiable') return plain(416, { ...base, 'Content-Range': `bytes */${size}` });
  const [start, end] = range ?? [0, size - 1];
  const headers: Record<string, string> = { ...base, 'Content-Length': String(end - start + 1) };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const body = request.method === 'GET' && end >= start ? { path: request.path, start, end } : null;
  return { status: range ? 206 : 200, headers, body };
}

export function openRasterBody(body: NonNullable<RasterResponse['body']>): Readable {
  return createReadStream(body.path, { start: body.start, end: body.end });
}
