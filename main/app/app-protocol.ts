/**
 * @module main/app/app-protocol
 * The two custom protocols: `app://panforge/` serves the built renderer from its bundle folder (paths checked, CSP
 * as a response header; @see security checklist items 7 and 18), and `panforge-out://outputs/<layerId>.tif`
 * serves only rasters the engine registered, with HTTP Range, so OpenLayers' GeoTIFF source reads COGs directly.
 * The raster origin differs from the page's, so it answers CORS for app://panforge only and exposes the range
 * headers geotiff.js reads.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { contentSecurityPolicy } from '../app-core/content-security-policy.ts';
import { layerIdFromFileName, openRasterBody, type RasterResponse } from '../app-core/raster-response.ts';
import { contentTypeFor, resolveStaticFile } from '../app-core/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'panforge';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
export const OUTPUTS_SCHEME = 'panforge-out';
export const OUTPUTS_BASE_URL = `${OUTPUTS_SCHEME}://outputs/`;

/** For `protocol.registerSchemesAsPrivileged`, before the app is ready. Neither scheme bypasses CSP. */
export const privilegedSchemes = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  { scheme: OUTPUTS_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
];

export const APP_CSP = contentSecurityPolicy([`${OUTPUTS_SCHEME}:`]);

const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': APP_CSP } });
}

/** app://panforge/<path> → a file of the bundle folder, or 404 for anything else (other hosts, traversal, missing). */
export function appProtocolResponse(request: Request, bundleDir: string): Response {
  const url = new URL(request.url);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
  const file = resolveStaticFile(bundleDir, url.pathname);
  if (!file)
    return text(404, url.pathname === '/' || url.pathname === '/index.html' ? `the renderer is not built (no index.html in ${bundleDir})` : 'not found');
  const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': APP_CSP, 'Cache-Control': 'no-cache' };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { status: 200, headers });
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': APP_ORIGIN,
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
  Vary: 'Origin',
};

/** panforge-out://outputs/<layerId>.tif → the registered raster (Range supported), 404 otherwise. */
export function outputsProtocolResponse(
  request: Request,
  rasterResponse: (layerId: string | null, method: string, range: string | null) => RasterResponse,
): Response {
  const url = new URL(request.url);
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
  const layerId =
    url.protocol === `${OUTPUTS_SCHEME}:` && url.host === 'outputs' && url.pathname.startsWith('/') ? layerIdFromFileName(url.pathname.slice(1)) : null;
  const plan = rasterResponse(layerId, request.method, request.headers.get('range'));
  const headers = { ...SECURITY_HEADERS, ...CORS_HEADERS, ...plan.headers };
  const body = plan.body ? (Readable.toWeb(openRasterBody(plan.body)) as ReadableStream) : null;
  return new Response(body, { status: plan.status, headers });
}
