import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { layerIdFromFileName, openRasterBody, parseByteRange, planRasterResponse, RasterRegistry } from './raster-response.ts';

const dir = tempFolder('raster-response');
const file = join(dir, 'r.tif');
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
writeFileSync(file, bytes);

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

test('byte ranges: explicit, open-ended, suffix, clipped, unsatisfiable, ignored', () => {
  assert.deepEqual(parseByteRange('bytes=0-99', 1000), [0, 99]);
  assert.deepEqual(parseByteRange('bytes=900-', 1000), [900, 999]);
  assert.deepEqual(parseByteRange('bytes=-100', 1000), [900, 999]);
  assert.deepEqual(parseByteRange('bytes=-5000', 1000), [0, 999]);
  assert.deepEqual(parseByteRange('bytes=990-2000', 1000), [990, 999]);
  assert.equal(parseByteRange('bytes=1000-1001', 1000), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=-0', 1000), 'unsatisfiable');
  for (const ignored of [undefined, null, '', 'bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', 'bytes=a-b']) {
    assert.equal(parseByteRange(ignored, 1000), null, String(ignored));
  }
});

test('a range request gets 206 with the exact bytes and Content-Range', async () => {
  const r = planRasterResponse({ path: file, method: 'GET', range: 'bytes=100-163' });
  assert.equal(r.status, 206);
  assert.equal(r.headers['Content-Range'], 'bytes 100-163/1000');
  assert.equal(r.headers['Content-Length'], '64');
  assert.equal(r.headers['Accept-Ranges'], 'bytes');
  assert.deepEqual(await read(openRasterBody(r.body!)), bytes.subarray(100, 164));
});

test('whole file, HEAD, 416, 404 and 405', async () => {
  const whole = planRasterResponse({ path: file, method: 'GET', range: undefined });
  assert.equal(whole.status, 200);
  assert.deepEqual(await read(openRasterBody(whole.body!)), bytes);
  const head = planRasterResponse({ path: file, method: 'HEAD', range: null });
  assert.equal(head.status, 200);
  assert.equal(head.headers['Content-Length'], '1000');
  assert.equal(head.body, null);
  const past = planRasterResponse({ path: file, method: 'GET', range: 'bytes=5000-' });
  assert.equal(past.status, 416);
  assert.equal(past.headers['Content-Range'], 'bytes */1000');
  assert.equal(planRasterResponse({ path: null, method: 'GET', range: null }).status, 404);
  assert.equal(planRasterResponse({ path: join(dir, 'gone.tif'), method: 'GET', range: null }).status, 404);
  assert.equal(planRasterResponse({ path: dir, method: 'GET', range: null }).status, 404);
  assert.equal(planRasterResponse({ path: file, method: 'PUT', range: null }).status, 405);
});

test('only registered layer ids resolve, and file names cannot smuggle paths', () => {
  const registry = new RasterRegistry();
  registry.register('s1-pan', file);
  assert.equal(registry.pathFor('s1-pan'), file);
  assert.equal(registry.pathFor('s1-ms'), null);
  assert.equal(layerIdFromFileName('s1-pan.tif'), 's1-pan');
  for (const bad of ['../s1-pan.tif', 's1-pan', 's1-pan.tiff', 'a/b.tif', '..%2Fx.tif', '.tif', 's1.pan.tif'])
    assert.equal(layerIdFromFileName(bad), null, bad);
});
