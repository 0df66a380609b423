/**
 * @module main/app-core/content-security-policy
 * The renderer's Content-Security-Policy, sent as a response header by the browser host and by Electron's app://
 * protocol. Scripts and styles only from the app itself; fetches from the app plus the given sources (the host's
 * WebSocket, or Electron's raster protocol); images from data:/blob: (canvas exports); workers from blob:
 * (geotiff.js decodes tiles in workers made from blob URLs). No inline script or style, no plugins, no framing,
 * no base or form targets.
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "img-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
