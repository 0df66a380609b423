/**
 * @module main/host/host-access
 * Who may use the browser-mode host: requests that name this server in their Host header (so a DNS-rebinding page
 * is refused even before the token would stop it) and carry the token, in the query or in the per-port cookie the
 * page's first response sets; WebSockets also need the token in the query and, when sent, this server's Origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../../preload/bridge-wire.ts';

export interface HostAccess {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The token cookie's name (per port, so two hosts do not overwrite each other's). */
  readonly cookieName: string;
  /** The Host header names this server. */
  hostOk(req: IncomingMessage): boolean;
  /** An HTTP request to this server with the token in the query or the cookie. */
  authorised(req: IncomingMessage, url: URL): boolean;
  /** The token is in the query (a WebSocket's only way to carry it). */
  tokenInQuery(url: URL): boolean;
  /** The Origin header, when sent, is this server's. */
  originOk(req: IncomingMessage): boolean;
}

export function hostAccess(port: number, token: string): HostAccess {
  const origin = `http://127.0.0.1:${port}`;
  const cookieName = `panforge_token_${port}`;
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const origins = [origin, `http://localhost:${port}`];
  return {
    origin,
    cookieName,
    hostOk,
    authorised: (req, url) =>
      hostOk(req) && (sameToken(url.searchParams.get(TOKEN_PARAM), token) || sameToken(cookieValue(req.headers.cookie, cookieName), token)),
    tokenInQuery: (url) => sameToken(url.searchParams.get(TOKEN_PARAM), token),
    originOk: (req) => req.headers.origin === undefined || origins.includes(req.headers.origin),
  };
}

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
