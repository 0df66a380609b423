/**
 * @module main/host/host-server
 * The browser-mode host: a plain Node HTTP server on 127.0.0.1 (random port) that serves the built renderer, the
 * contract over a WebSocket (preload/bridge-wire.ts) and registered rasters with HTTP Range, all behind a random
 * token. The page is opened as `/?token=T`; that response also sets the token as an HttpOnly, SameSite=Strict
 * cookie (named per port) so the page's own asset requests, which carry no query, are let in. Everything else
 * without the token gets 403. The WebSocket also checks the Origin, so another site cannot drive the API.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TOKEN_PARAM, WirePath } from '../../preload/bridge-wire.ts';
import { AppCore, type AppCoreOptions } from '../app-core/app-core.ts';
import { contentSecurityPolicy } from '../app-core/content-security-policy.ts';
import { layerIdFromFileName, openRasterBody } from '../app-core/raster-response.ts';
import { noDialogChooser } from '../app-core/no-dialog-chooser.ts';
import { contentTypeFor, resolveStaticFile } from '../app-core/static-files.ts';
import { serveApiSocket } from './api-socket.ts';
import { type HostAccess, hostAccess } from './host-access.ts';

export interface HostOptions {
  /** The built renderer (renderer/dist). */
  readonly rendererDir: string;
  readonly userDataDir: string;
  /** Where exports may be written; exportChoosePath picks names inside it. */
  readonly exportDir: string;
  /** Scene files or folders the renderer may open. */
  readonly allow: readonly string[];
  readonly version: string;
  readonly startEngine: AppCoreOptions['startEngine'];
  /** Display-copy cache limits [defaults in main/app-core/user-storage.ts]. */
  readonly storage?: AppCoreOptions['storage'];
  /** [default 0 = a free port] */
  readonly port?: number;
  /** [default 32 random bytes, hex] */
  readonly token?: string;
  readonly log?: (message: string) => void;
}

export interface RunningHost {
  readonly port: number;
  readonly token: string;
  /** The page to open, token included. */
  readonly url: string;
  readonly core: AppCore;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1 << 20;
/** Open WebSockets at once; the page needs one (a reload briefly two). More are refused with 503. */
const MAX_SOCKETS = 16;

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw new Error('host token: expected 16–256 characters of [A-Za-z0-9_-]');
  const log = options.log ?? (() => {});
  const server = await listenOnLoopback(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const access = hostAccess(port, token);
  const core = createCore(options, access.origin, token, log);
  const http: HttpSite = { rendererDir: options.rendererDir, core, access, token, baseHeaders: securityHeaders(port) };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => serveHttp(http, req, res));

  // maxPayload: a bigger frame closes that socket with 1009; invalid UTF-8 in a text frame closes it with 1007.
  // The 'error' listeners (here and in serveApiSocket) are what keep either from becoming an uncaught exception of
  // the whole host.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (err) => log(`WebSocket server error: ${err.message}`));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const why = refuseSocket(req, access, wss.clients.size);
    if (why) {
      log(`refused a WebSocket: ${why.reason}`);
      const text = why.status === 403 ? 'Forbidden' : why.status === 503 ? 'Service Unavailable' : 'Not Found';
      socket.end(`HTTP/1.1 ${why.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApiSocket(ws, core, log));
  });

  return {
    port,
    token,
    url: `${access.origin}/?${TOKEN_PARAM}=${token}`,
    core,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      core.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP server listening on 127.0.0.1 (`port` 0: a free one). */
async function listenOnLoopback(port: number): Promise<Server> {
  // Slow clients: a request must send its headers within 10 s and finish within 60 s (Node's defaults are 60 s
  // and 300 s); a stalled one is closed, never waited on.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 60_000 });
  // A malformed request (bad header, bytes that are not HTTP) ends that connection only. A client that went away
  // (an aborted tile read) gets no answer at all, a slow one 408, as Node's own handler would.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** The app core in browser mode: no dialogs, scenes only from the allowed paths, outputs served by this host. */
function createCore(options: HostOptions, origin: string, token: string, log: (message: string) => void): AppCore {
  return new AppCore({
    mode: 'browser',
    version: options.version,
    userDataDir: options.userDataDir,
    outputsBaseUrl: `${origin}${WirePath.outputs}`,
    outputsQuery: `?${TOKEN_PARAM}=${token}`,
    startEngine: options.startEngine,
    chooser: noDialogChooser(options.exportDir),
    allowScenePaths: options.allow,
    exportDirs: [options.exportDir],
    trustRecentScenes: false,
    ...(options.storage ? { storage: options.storage } : {}),
    log,
  });
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

interface HttpSite {
  readonly rendererDir: string;
  readonly core: AppCore;
  readonly access: HostAccess;
  readonly token: string;
  /** Sent with every response. */
  readonly baseHeaders: Record<string, string>;
}

/** Registered rasters under WirePath.outputs (with Range), the built renderer everywhere else. */
function serveHttp(site: HttpSite, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', site.access.origin);
  if (!site.access.authorised(req, url)) return endPlain(site, res, 403, 'forbidden: open the URL the host printed (it carries the token)\n');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith(WirePath.outputs)) return serveRaster(site, url, method, req, res);
  if (method !== 'GET' && method !== 'HEAD') return endPlain(site, res, 405, 'method not allowed\n');
  serveStatic(site, url, method, res);
}

function serveRaster(site: HttpSite, url: URL, method: string, req: IncomingMessage, res: ServerResponse): void {
  const plan = site.core.rasterResponse(layerIdFromFileName(url.pathname.slice(WirePath.outputs.length)), method, req.headers.range);
  res.writeHead(plan.status, { ...site.baseHeaders, ...plan.headers });
  if (!plan.body) {
    res.end();
    return;
  }
  const body = openRasterBody(plan.body);
  body.on('error', () => res.destroy());
  body.pipe(res);
}

/** A file of the built renderer; the page itself also sets the token cookie for its asset requests. */
function serveStatic(site: HttpSite, url: URL, method: string, res: ServerResponse): void {
  const file = resolveStaticFile(site.rendererDir, url.pathname);
  if (!file) {
    const hint = url.pathname === '/' ? `the renderer is not built (no index.html in ${site.rendererDir}); run the renderer build first\n` : 'not found\n';
    return endPlain(site, res, 404, hint);
  }
  const headers: Record<string, string> = { ...site.baseHeaders, 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-store' };
  if (url.pathname === '/' || url.pathname === '/index.html')
    headers['Set-Cookie'] = `${site.access.cookieName}=${site.token}; HttpOnly; SameSite=Strict; Path=/`;
  res.writeHead(200, headers);
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function endPlain(site: HttpSite, res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...site.baseHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Why a WebSocket upgrade is refused (checked in this order), or null to accept it. */
function refuseSocket(req: IncomingMessage, access: HostAccess, openSockets: number): { status: number; reason: string } | null {
  const url = new URL(req.url ?? '/', access.origin);
  if (!access.hostOk(req)) return { status: 403, reason: `Host ${req.headers.host}` };
  if (url.pathname !== WirePath.api) return { status: 404, reason: `path ${url.pathname}` };
  if (!access.tokenInQuery(url)) return { status: 403, reason: 'missing or wrong token' };
  if (!access.originOk(req)) return { status: 403, reason: `origin ${req.headers.origin}` };
  if (openSockets >= MAX_SOCKETS) return { status: 503, reason: `already ${openSockets} open WebSockets` };
  return null;
}
