/**
 * @module main/app-core/content-security-policy
 * The renderer's Content-Security-Policy, sent as a response header by the browser host and by Electron's app://
 * protocol. Scripts and styles only from the app itself; fetches from the app plus the given sources (the host's
 * WebSocket, or Electron's raster protocol); images from data:/blob: (canvas exports); workers from blob:
 * (geotiff.js decodes tiles in workers made from blob URLs). No inline script or style, no eval, no plugins, no
 * framing, no base or form targets.
 *
 * Two narrow allowances for geotiff.js's ZSTD and LERC decoders (our COGs are ZSTD-compressed): they fetch their
 * WebAssembly from a `data:` URL (connect-src data:) and compile it ('wasm-unsafe-eval', which permits WebAssembly
 * compilation only, not JavaScript eval).
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    `connect-src ${["'self'", 'data:', ...connectSources].join(' ')}`,
    "img-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
