import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { planRasterResponse } from '../app-core/raster-response.ts';
import { writeFileTree } from '../engine/testing/file-tree.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { APP_CSP, appProtocolResponse, outputsProtocolResponse, privilegedSchemes } from './app-protocol.ts';

const root = tempFolder('app-protocol');
const bundle = join(root, 'renderer-dist');
const raster = join(root, 'out.tif');
writeFileTree(root, {
  'renderer-dist/index.html': '<!doctype html><title>PanForge</title>',
  'renderer-dist/assets/main.js': 'console.log(1)',
  'secret.txt': 'secret',
  'out.tif': Buffer.from(Array.from({ length: 4096 }, (_, i) => i & 0xff)),
});
const registered: Record<string, string> = { 'j1-out': raster };
const rasterResponse = (layerId: string | null, method: string, range: string | null) =>
  planRasterResponse({ path: layerId ? (registered[layerId] ?? null) : null, method, range });

test('app:// serves the bundle with the CSP header; other hosts, traversal and missing files are 404', async () => {
  const page = appProtocolResponse(new Request('app://panforge/index.html'), bundle);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), APP_CSP);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await page.text(), /<title>PanForge/);
  assert.equal(await appProtocolResponse(new Request('app://panforge/assets/main.js'), bundle).text(), 'console.log(1)');
  for (const url of ['app://panforge/..%2fsecret.txt', 'app://panforge/assets/%2e%2e/%2e%2e/secret.txt', 'app://evil/index.html', 'app://panforge/nope.js']) {
    const res = appProtocolResponse(new Request(url), bundle);
    assert.equal(res.status, 404, url);
    assert.doesNotMatch(await res.text(), /secret/);
  }
  assert.equal(appProtocolResponse(new Request('app://panforge/index.html', { method: 'POST', body: 'x' }), bundle).status, 405);
});

test('the CSP allows scripts only from the app (plus WebAssembly for the tile decoders) and fetches to the raster scheme', () => {
  assert.match(APP_CSP, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' data: panforge-out:;/);
  assert.doesNotMatch(APP_CSP, /'unsafe-inline'|'unsafe-eval'|\*/);
  assert.ok(
    privilegedSchemes.every((s) => !('bypassCSP' in s.privileges)),
    'no scheme bypasses the CSP',
  );
});

test('panforge-out:// serves registered rasters with Range and CORS for the app origin only', async () => {
  const part = outputsProtocolResponse(new Request('panforge-out://outputs/j1-out.tif', { headers: { Range: 'bytes=100-199' } }), rasterResponse);
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), 'bytes 100-199/4096');
  assert.equal(part.headers.get('access-control-allow-origin'), 'app://panforge');
  assert.match(part.headers.get('access-control-expose-headers') ?? '', /Content-Range/);
  const bytes = Buffer.from(await part.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [100, 101, 102]);
  assert.equal(bytes.length, 100);
  const preflight = outputsProtocolResponse(new Request('panforge-out://outputs/j1-out.tif', { method: 'OPTIONS' }), rasterResponse);
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'Range');
  for (const url of [
    'panforge-out://outputs/j2-out.tif',
    'panforge-out://outputs/..%2fj1-out.tif',
    'panforge-out://other/j1-out.tif',
    'panforge-out://outputs/sub/j1-out.tif',
  ]) {
    assert.equal(outputsProtocolResponse(new Request(url), rasterResponse).status, 404, url);
  }
});
