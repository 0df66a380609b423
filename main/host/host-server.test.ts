// The browser host over real HTTP and a real WebSocket, with the real engine process on a synthetic scene.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { callMessage, parseFromHost, replyFor, type FromHost } from '../../preload/bridge-wire.ts';
import type { CallName, CallValue, JobEvent, Reply } from '../../preload/contract.ts';
import { forkEngine } from '../engine/service/fork-engine.ts';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { writeFileTree } from '../engine/testing/file-tree.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { startHost, type RunningHost } from './host-server.ts';

const root = tempFolder('host');
const rendererDir = join(root, 'dist');
writeFileTree(root, {
  'dist/index.html': '<!doctype html><script type="module" src="/assets/app.js"></script>',
  'dist/assets/app.js': 'export {};',
  'outside.txt': 'secret',
});

let host: RunningHost;
let scene: SyntheticScene;
let origin: string;

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'scenes'), name: 'host', panWidth: 256, panHeight: 256 });
  host = await startHost({
    rendererDir,
    userDataDir: join(root, 'user-data'),
    exportDir: join(root, 'exports'),
    allow: [join(root, 'scenes')],
    version: 'test',
    startEngine: () => forkEngine(),
  });
  origin = `http://127.0.0.1:${host.port}`;
});
after(() => host.close());

/** A WebSocket client speaking the wire protocol, like the renderer's bridge. */
class WireClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (raw: unknown) => void>();
  readonly events: JobEvent[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg: FromHost = parseFromHost(JSON.parse(data.toString()));
      if (msg.kind === 'event') this.events.push(msg.event);
      else this.waiting.get(msg.id)?.(msg.reply);
    });
  }
  static open(url: string, headers: Record<string, string> = { Origin: origin }): Promise<WireClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WireClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  call<K extends CallName>(name: K, payload: unknown): Promise<Reply<CallValue<K>>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (raw) => resolve(replyFor(name, raw)));
      this.ws.send(JSON.stringify(callMessage(id, name, payload)));
    });
  }
}

function ok<T>(reply: Reply<T>): T {
  if (!reply.ok) assert.fail(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

test('every HTTP path needs the token; the page gets the CSP and the token cookie', async () => {
  for (const path of ['/', '/assets/app.js', '/outputs/x.tif', `/?token=${'0'.repeat(64)}`]) {
    assert.equal((await fetch(`${origin}${path}`)).status, 403, path);
  }
  const page = await fetch(host.url);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, new RegExp(`connect-src 'self' data: ws://127\\.0\\.0\\.1:${host.port};`));
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.match(page.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  const asset = await fetch(`${origin}/assets/app.js`, { headers: { Cookie: cookie } });
  assert.equal(asset.status, 200);
  assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await asset.text(), 'export {};');
});

/** A GET with a chosen Host header (fetch will not let a caller set it). */
function getWithHost(path: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: host.port, path, headers: { Host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

test('a request naming another host is refused even with the token (DNS rebinding)', async () => {
  assert.equal(await getWithHost(`/?token=${host.token}`, `127.0.0.1:${host.port}`), 200);
  assert.equal(await getWithHost(`/?token=${host.token}`, `localhost:${host.port}`), 200);
  assert.equal(await getWithHost(`/?token=${host.token}`, `evil.example:${host.port}`), 403);
  await assert.rejects(
    WireClient.open(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { Origin: origin, Host: `evil.example:${host.port}` }),
    /HTTP 403/,
  );
});

test('static paths cannot leave the renderer folder', async () => {
  for (const path of ['/..%2foutside.txt', '/assets/..%2f..%2foutside.txt', '/%2e%2e/outside.txt', '/assets/%5c..%5coutside.txt']) {
    const res = await fetch(`${origin}${path}?token=${host.token}`);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(await res.text(), /secret/);
  }
});

test('WebSocket: token and origin checked at the upgrade', async () => {
  await assert.rejects(WireClient.open(`ws://127.0.0.1:${host.port}/api`), /HTTP 403/);
  await assert.rejects(WireClient.open(`ws://127.0.0.1:${host.port}/api?token=wrong`), /HTTP 403/);
  await assert.rejects(WireClient.open(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { Origin: 'http://evil.example' }), /HTTP 403/);
  await assert.rejects(WireClient.open(`ws://127.0.0.1:${host.port}/other?token=${host.token}`), /HTTP 404/);
});

test('a call round trip: open a scene, run Brovey with events over the socket, read rasters with Range', async () => {
  const client = await WireClient.open(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  try {
    const info = ok(await client.call('appInfo', {}));
    assert.deepEqual(info, { mode: 'browser', version: 'test', outputsBaseUrl: `${origin}/outputs/`, outputsQuery: `?token=${host.token}` });
    const bad = await client.call('sceneOpen', { panPath: join(root, 'outside.txt'), msPath: scene.msPath });
    assert.equal(!bad.ok && bad.error.code, 'path-not-allowed');
    const view = ok(await client.call('sceneOpen', { panPath: scene.panPath, msPath: scene.msPath }));
    assert.equal(view.layers.length, 2);

    const layerUrl = `${info.outputsBaseUrl}${view.layers[0]!.layerId}.tif${info.outputsQuery}`;
    const whole = Buffer.from(await (await fetch(layerUrl)).arrayBuffer());
    assert.ok(['II*\0', 'II+\0'].includes(whole.subarray(0, 4).toString('latin1')), 'a TIFF');
    const part = await fetch(layerUrl, { headers: { Range: 'bytes=16-1039' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 16-1039/${whole.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(16, 1040));
    assert.equal((await fetch(`${origin}/outputs/s0000000000-pan.tif${info.outputsQuery}`)).status, 404);
    assert.equal((await fetch(`${origin}/outputs/..%2f..%2fpackage.json${info.outputsQuery}`)).status, 404);

    const job = ok(await client.call('jobStart', { sceneId: view.sceneId, method: 'brovey', device: 'cpu', tileSizePx: 128, previewExtent: null }));
    const deadline = Date.now() + 60_000;
    const finished = () => client.events.find((e) => e.type === 'state' && e.job.jobId === job.jobId && e.job.state !== 'queued' && e.job.state !== 'running');
    while (!finished() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const end = finished();
    assert.ok(end && end.type === 'state' && end.job.state === 'done', JSON.stringify(end));
    assert.ok(client.events.some((e) => e.type === 'progress' && e.jobId === job.jobId));
    const out = await fetch(`${info.outputsBaseUrl}${end.job.result!.layer.layerId}.tif${info.outputsQuery}`, { headers: { Range: 'bytes=0-3' } });
    assert.equal(out.status, 206);

    // A reloaded page (a new socket) sees the finished job.
    const reloaded = await WireClient.open(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    assert.deepEqual(
      ok(await reloaded.call('jobList', {})).map((j) => [j.jobId, j.state]),
      [[job.jobId, 'done']],
    );
    reloaded.ws.close();

    // Storage over the socket: the run's device story came with its result; the run is listed, and removing it
    // deletes its file (the layer URL then 404s). A path that climbs out of runs/ is refused.
    assert.deepEqual([end.job.result!.device, end.job.result!.deviceEvents], ['js', []]);
    const usage = ok(await client.call('storageUsage', {}));
    assert.deepEqual(
      usage.runs.map((r) => r.method),
      ['brovey'],
    );
    assert.ok(usage.cacheBytes > 0 && usage.runsBytes >= usage.runs[0]!.sizeBytes);
    const escape = await client.call('storageRemoveRun', { outPath: join(root, 'user-data', 'runs', '..', '..', 'outside.txt') });
    assert.equal(!escape.ok && escape.error.code, 'path-not-allowed');
    assert.deepEqual(ok(await client.call('storageRemoveRun', { outPath: usage.runs[0]!.outPath })).runs, []);
    assert.equal((await fetch(`${info.outputsBaseUrl}${end.job.result!.layer.layerId}.tif${info.outputsQuery}`)).status, 404);
  } finally {
    client.ws.close();
  }
});

test('malformed messages: a usable id gets a contract error, anything else closes the socket', async () => {
  const client = await WireClient.open(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  const reply = await new Promise<unknown>((resolve) => {
    client.ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    client.ws.send(JSON.stringify({ kind: 'call', id: 5, name: 'fsReadFile', payload: {} }));
  });
  const parsed = parseFromHost(reply);
  assert.equal(parsed.kind === 'reply' && parsed.id, 5);
  const error = replyFor('appInfo', parsed.kind === 'reply' ? parsed.reply : null);
  assert.equal(!error.ok && error.error.code, 'contract');
  assert.match(!error.ok ? error.error.message : '', /wire call\.name: expected one of appInfo\|/);
  const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
  client.ws.send('not json');
  assert.equal(await closed, 1003);
});
