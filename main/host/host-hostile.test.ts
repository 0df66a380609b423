// Hostile clients of the browser host: frames ws refuses (invalid UTF-8, over maxPayload, reserved opcodes), bytes
// that are not HTTP, abrupt disconnects, floods and too many sockets. Each case asserts that the offending
// connection is closed with its own code and that the host still answers a well-behaved client afterwards.
// The host runs as its own process (main/host/main.ts, as users start it), so "the host lives" means that process
// did not exit. Before the error listeners, each bad frame ended it ('error' event with no listener).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { callMessage, parseFromHost } from '../../preload/bridge-wire.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';

const root = tempFolder('host-hostile');
const rendererDir = join(root, 'dist');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
mkdirSync(join(root, 'scenes'));

const host = { port: 0, token: '' };
let origin: string;
let wsUrl: string;
let child: ChildProcess;
let exited: string | null = null;
let stderr = '';

before(async () => {
  const entry = new URL('./main.ts', import.meta.url).pathname;
  child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, '--allow', join(root, 'scenes'), '--user-data', join(root, 'user-data'), '--renderer-dir', rendererDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.on('exit', (code, signal) => (exited = `code ${code} signal ${signal}`));
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d.toString();
      const m = /PANFORGE_HOST_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`host exited: ${stderr}`)));
  });
  const parsed = new URL(url);
  host.port = Number(parsed.port);
  host.token = parsed.searchParams.get('token')!;
  origin = `http://127.0.0.1:${host.port}`;
  wsUrl = `ws://127.0.0.1:${host.port}/api?token=${host.token}`;
});
after(async () => {
  if (exited === null) {
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await done;
  }
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, { headers: { Origin: origin } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Resolves with the close code the host sent. */
function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('error', () => undefined); // the client may see the close as an error too
    ws.once('close', (code) => resolve(code));
  });
}

/** A client frame (masked, as RFC 6455 requires) with any opcode and payload, written under ws's nose. */
function rawFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

function writeRaw(ws: WebSocket, frame: Buffer): void {
  const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  socket.write(frame);
}

/** The host process is alive and still answers: a fresh client gets appInfo, the page loads. */
async function stillServes(): Promise<void> {
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(exited, null, `the host process died: ${stderr.slice(-600)}`);
  const ws = await open();
  const reply = await new Promise<unknown>((resolve) => {
    ws.once('message', (data) => resolve(parseFromHost(JSON.parse(data.toString()))));
    ws.send(JSON.stringify(callMessage(1, 'appInfo', {})));
  });
  assert.ok(reply && typeof reply === 'object' && 'kind' in reply && reply.kind === 'reply');
  ws.close();
  assert.equal((await fetch(`${origin}/?token=${host.token}`)).status, 200);
  assert.equal(exited, null);
}

/** Opens a socket, lets `misbehave` write to it, and checks that the host closes it with `expected` and lives. */
async function assertClosedWith(expected: number, misbehave: (ws: WebSocket) => void): Promise<void> {
  const ws = await open();
  const code = closed(ws);
  misbehave(ws);
  assert.equal(await code, expected);
  await stillServes();
}

test('a text frame with invalid UTF-8 closes that socket with 1007; the host lives', async () => {
  await assertClosedWith(1007, (ws) => writeRaw(ws, rawFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))));
});

test('invalid UTF-8 split across a fragmented message: 1007, host lives', async () => {
  await assertClosedWith(1007, (ws) => {
    writeRaw(ws, rawFrame(0x1, Buffer.from('{"a":"'), false));
    writeRaw(ws, rawFrame(0x0, Buffer.from([0xc3, 0x28, 0x22, 0x7d])));
  });
});

test('a frame over 1 MiB closes that socket with 1009; the host lives', async () => {
  await assertClosedWith(1009, (ws) => writeRaw(ws, rawFrame(0x1, Buffer.alloc((1 << 20) + 10, 0x20))));
});

test('a frame header declaring 2^62 bytes: 1009 at once, nothing allocated, host lives', async () => {
  await assertClosedWith(1009, (ws) => {
    const header = Buffer.from([0x81, 0x80 | 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    writeRaw(ws, header);
  });
});

test('a reserved opcode closes that socket with 1002; the host lives', async () => {
  await assertClosedWith(1002, (ws) => writeRaw(ws, rawFrame(0x3, Buffer.from('x'))));
});

test('an unmasked client frame (protocol error): closed, host lives', async () => {
  await assertClosedWith(1002, (ws) => writeRaw(ws, Buffer.from([0x81, 0x02, 0x7b, 0x7d])));
});

test('a binary frame closes with 1003 (JSON text expected); host lives', async () => {
  await assertClosedWith(1003, (ws) => ws.send(Buffer.from([1, 2, 3])));
});

test('text that is not JSON closes with 1003; a message without an id with 1008', async () => {
  const a = await open();
  const codeA = closed(a);
  a.send('not json at all');
  assert.equal(await codeA, 1003);
  const b = await open();
  const codeB = closed(b);
  b.send(JSON.stringify({ hello: 'world' }));
  assert.equal(await codeB, 1008);
  await stillServes();
});

test('an unknown call with a usable id gets a contract error reply, the socket stays open', async () => {
  const ws = await open();
  const reply = await new Promise<unknown>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ kind: 'call', id: 7, name: 'rm -rf /', payload: {} }));
  });
  assert.match(JSON.stringify(reply), /"code":"contract"/);
  assert.equal(ws.readyState, ws.OPEN);
  ws.close();
});

test('a client that vanishes mid-frame (TCP reset) does not disturb the host', async () => {
  const ws = await open();
  const frame = rawFrame(0x1, Buffer.alloc(5000, 0x41));
  writeRaw(ws, frame.subarray(0, 100));
  (ws as unknown as { _socket: import('node:net').Socket })._socket.destroy();
  await new Promise((r) => setTimeout(r, 50));
  await stillServes();
});

test('a flood of 300 calls on one socket is answered in full', async () => {
  const ws = await open();
  let replies = 0;
  const all = new Promise<void>((resolve) => {
    ws.on('message', () => {
      if (++replies === 300) resolve();
    });
  });
  for (let id = 1; id <= 300; id++) ws.send(JSON.stringify(callMessage(id, 'appInfo', {})));
  await all;
  ws.close();
});

test('too many sockets: beyond 16 the upgrade gets 503; closing frees the slots', async () => {
  // Sockets of the cases above may still be closing, so count up to the refusal instead of assuming 16 free slots.
  const sockets: WebSocket[] = [];
  let refused = '';
  for (let i = 0; i < 40 && !refused; i++) {
    try {
      sockets.push(await open());
    } catch (err) {
      refused = String(err);
    }
  }
  assert.match(refused, /HTTP 503/);
  assert.ok(sockets.length >= 8 && sockets.length <= 16, `refused after ${sockets.length} sockets`);
  for (const s of sockets) s.close();
  await new Promise((r) => setTimeout(r, 200));
  await stillServes();
});

test('bytes that are not HTTP get a 400 on that connection only', async () => {
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.write('\x00\x01\x02 garbage \r\n\r\n'));
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  assert.match(answer, /^HTTP\/1\.1 400/);
  await stillServes();
});

test('a slow client sending half its headers does not hold up others', async () => {
  const slow = connect(host.port, '127.0.0.1');
  await new Promise<void>((r) => slow.once('connect', () => r()));
  slow.write(`GET /?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n`);
  await stillServes();
  slow.destroy();
});

test('an upgrade without the token, or on another path, is refused; host lives', async () => {
  for (const url of [`ws://127.0.0.1:${host.port}/api`, `ws://127.0.0.1:${host.port}/elsewhere?token=${host.token}`]) {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(0));
    });
    assert.ok(status === 403 || status === 404, String(status));
  }
  await stillServes();
});
