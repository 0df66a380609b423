/**
 * @module main/host/host-server
 * The browser-mode host: a plain Node HTTP server on 127.0.0.1 (random port) that serves the built renderer, the
 * contract over a WebSocket (preload/bridge-wire.ts) and registered rasters with HTTP Range, all behind a random
 * token. The page is opened as `/?token=T`; that response also sets the token as an HttpOnly, SameSite=Strict
 * cookie (named per port) so the page's own asset requests, which carry no query, are let in. Everything else
 * without the token gets 403. The WebSocket also checks the Origin, so another site cannot drive the API.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventMessage, parseCallMessage, replyMessage, TOKEN_PARAM, WirePath } from '../../preload/bridge-wire.ts';
import { ErrorCode, isRecord, toWireError } from '../../preload/contract.ts';
import { AppCore, type AppCoreOptions } from '../app-core/app-core.ts';
import { contentSecurityPolicy } from '../app-core/content-security-policy.ts';
import { layerIdFromFileName, openRasterBody } from '../app-core/raster-response.ts';
import { noDialogChooser } from '../app-core/no-dialog-chooser.ts';
import { contentTypeFor, resolveStaticFile } from '../app-core/static-files.ts';

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

function sameToken(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw new Error('host token: expected 16–256 characters of [A-Za-z0-9_-]');
  const log = options.log ?? (() => {});
  // Slow clients: a request must send its headers within 10 s and finish within 60 s (Node's defaults are 60 s
  // and 300 s); a stalled one is closed, never waited on.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 60_000 });
  // A malformed request (bad header, bytes that are not HTTP) ends that connection only.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const cookieName = `panforge_token_${port}`;
  const csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`]);

  const core = new AppCore({
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

  // The Host header must name this server: a DNS-rebinding page (evil.example resolving to 127.0.0.1) is refused
  // even before the token would stop it.
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const authorised = (req: IncomingMessage, url: URL) =>
    hostOk(req) && (sameToken(url.searchParams.get(TOKEN_PARAM), token) || sameToken(cookieValue(req.headers.cookie, cookieName), token));

  const baseHeaders = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };

  function endPlain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    if (!authorised(req, url)) return endPlain(res, 403, 'forbidden: open the URL the host printed (it carries the token)\n');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(WirePath.outputs)) {
      const plan = core.rasterResponse(layerIdFromFileName(url.pathname.slice(WirePath.outputs.length)), method, req.headers.range);
      res.writeHead(plan.status, { ...baseHeaders, ...plan.headers });
      if (!plan.body) return res.end();
      const body = openRasterBody(plan.body);
      body.on('error', () => res.destroy());
      body.pipe(res);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return endPlain(res, 405, 'method not allowed\n');
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      const hint = url.pathname === '/' ? `the renderer is not built (no index.html in ${options.rendererDir}); run the renderer build first\n` : 'not found\n';
      return endPlain(res, 404, hint);
    }
    const headers: Record<string, string> = { ...baseHeaders, 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-store' };
    if (url.pathname === '/' || url.pathname === '/index.html') headers['Set-Cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (method === 'HEAD') return res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });

  // maxPayload: a bigger frame closes that socket with 1009; invalid UTF-8 in a text frame closes it with 1007.
  // The 'error' listeners below are what keep either from becoming an uncaught exception of the whole host.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (err) => log(`WebSocket server error: ${err.message}`));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', origin);
    const refuse = (status: number, why: string) => {
      log(`refused a WebSocket: ${why}`);
      const text = status === 403 ? 'Forbidden' : status === 503 ? 'Service Unavailable' : 'Not Found';
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostOk(req)) return refuse(403, `Host ${req.headers.host}`);
    if (url.pathname !== WirePath.api) return refuse(404, `path ${url.pathname}`);
    if (!sameToken(url.searchParams.get(TOKEN_PARAM), token)) return refuse(403, 'missing or wrong token');
    const origins = [origin, `http://localhost:${port}`];
    if (req.headers.origin !== undefined && !origins.includes(req.headers.origin)) return refuse(403, `origin ${req.headers.origin}`);
    if (wss.clients.size >= MAX_SOCKETS) return refuse(503, `already ${wss.clients.size} open WebSockets`);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    // A protocol error on this socket (frame too big, invalid UTF-8, bad opcode) closes this socket only;
    // ws has already sent the close code (1009, 1007, 1002) when this fires.
    ws.on('error', (err) => {
      log(`closed a WebSocket after a protocol error: ${err.message}`);
      ws.terminate();
    });
    const send = (text: string) => {
      if (ws.readyState === ws.OPEN) ws.send(text, (err) => err && ws.terminate());
    };
    const unsubscribe = core.onJobEvent((event) => send(JSON.stringify(eventMessage(event))));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => void handle(data, isBinary).catch((err: unknown) => {
      log(`closed a WebSocket after an internal error: ${err instanceof Error ? err.message : String(err)}`);
      ws.close(1011, 'internal error');
    }));
    const handle = async (data: WebSocket.RawData, isBinary: boolean) => {
      let raw: unknown;
      try {
        raw = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        log('closed a WebSocket that sent something other than JSON');
        return ws.close(1003, 'expected JSON text');
      }
      let message;
      try {
        message = parseCallMessage(raw);
      } catch (err) {
        // Answer what can be answered (a bad name with a usable id); drop a client that cannot be answered.
        const id = isRecord(raw) ? raw.id : undefined;
        if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
          send(JSON.stringify(replyMessage(id, { ok: false, error: { ...toWireError(err), code: ErrorCode.contract } })));
          return;
        }
        log(`closed a WebSocket after a malformed message: ${err instanceof Error ? err.message : String(err)}`);
        return ws.close(1008, 'malformed message');
      }
      const reply = await core.call(message.name, message.payload);
      send(JSON.stringify(replyMessage(message.id, reply)));
    };
  }

  return {
    port,
    token,
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
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
