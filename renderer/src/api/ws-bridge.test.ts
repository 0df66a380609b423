import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobEvent, JobSnapshot, WireError } from '../../../preload/contract.ts';
import { createWsBridge, type SocketLike } from './ws-bridge.ts';

/** An in-memory socket: records what the bridge sends and lets the test play the host. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    assert.equal(this.readyState, 1, 'sent before the socket opened');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const troubles: WireError[] = [];
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:1/api?token=secret',
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onTrouble: (e) => troubles.push(e),
    reconnectDelayMs: 1,
  });
  return { bridge, sockets, troubles };
}

const snapshot: JobSnapshot = {
  jobId: 'j1',
  sceneId: 's1',
  method: 'brovey',
  device: 'cpu',
  tileSizePx: 512,
  previewExtent: null,
  adapt: false,
  state: 'queued',
  progress: null,
  error: null,
  result: null,
  createdAt: '2026-12-01T00:00:00Z',
};

test('a call waits for the socket, sends one call message and resolves with the parsed reply', async () => {
  const { bridge, sockets } = setup();
  const reply = bridge.appInfo({});
  assert.equal(sockets.length, 1);
  const s = sockets[0]!;
  assert.deepEqual(s.sent, [], 'nothing may be sent before open');
  s.open();
  assert.deepEqual(s.sent, [{ kind: 'call', id: 1, name: 'appInfo', payload: {} }]);
  s.deliver({
    kind: 'reply',
    id: 1,
    reply: { ok: true, value: { mode: 'browser', version: '0.1.0', outputsBaseUrl: 'http://h/outputs/', outputsQuery: '?token=t', extra: 1 } },
  });
  assert.deepEqual(await reply, { ok: true, value: { mode: 'browser', version: '0.1.0', outputsBaseUrl: 'http://h/outputs/', outputsQuery: '?token=t' } });
});

test('replies are matched by id, error replies pass through, malformed values become contract errors', async () => {
  const { bridge, sockets } = setup();
  const a = bridge.jobList({});
  const b = bridge.jobCancel({ jobId: 'j9' });
  const c = bridge.methodsList({});
  const s = sockets[0]!;
  s.open();
  s.deliver({ kind: 'reply', id: 2, reply: { ok: false, error: { code: 'unknown-job', message: 'no job j9' } } });
  s.deliver({ kind: 'reply', id: 3, reply: { ok: true, value: [{ id: 'x', kind: 'magic', label: 'X', description: '' }] } });
  s.deliver({ kind: 'reply', id: 1, reply: { ok: true, value: [snapshot] } });
  assert.deepEqual(await a, { ok: true, value: [snapshot] });
  assert.deepEqual(await b, { ok: false, error: { code: 'unknown-job', message: 'no job j9', details: {} } });
  const bad = await c;
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.error.code === 'contract' && /kind/.test(bad.error.message), JSON.stringify(bad));
});

test('a request that breaks the contract is refused before it is sent', async () => {
  const { bridge, sockets } = setup();
  // @ts-expect-error: deliberately wrong payload, as a buggy caller would send
  const reply = await bridge.jobStart({ sceneId: 's1', method: 'brovey', device: 'gpu', tileSizePx: 512, previewExtent: null });
  assert.equal(reply.ok, false);
  assert.ok(!reply.ok && reply.error.code === 'contract' && /device/.test(reply.error.message));
  assert.equal(sockets.length, 0);
});

test('events are parsed and fanned out; bad frames are reported, not dropped silently', () => {
  const { bridge, sockets, troubles } = setup();
  const seen: JobEvent[] = [];
  const off = bridge.onJobEvent((e) => seen.push(e));
  const s = sockets[0]!;
  s.open();
  s.deliver({ kind: 'event', channel: 'panforge:job.event', event: { type: 'state', job: snapshot } });
  s.deliver({ kind: 'event', channel: 'panforge:job.event', event: { type: 'progress', jobId: 'j1' } });
  s.deliver('not json');
  s.deliver({ kind: 'reply', id: 77, reply: { ok: true, value: null } });
  off();
  s.deliver({ kind: 'event', channel: 'panforge:job.event', event: { type: 'log', jobId: 'j1', message: 'after unsubscribe' } });
  assert.deepEqual(seen, [{ type: 'state', job: snapshot }]);
  assert.equal(troubles.length, 3);
  assert.match(troubles[0]!.message, /breaks the protocol.*progress/);
  assert.match(troubles[1]!.message, /breaks the protocol/);
  assert.match(troubles[2]!.message, /call 77/);
});

test('a dropped socket fails calls in flight with bridge-closed and reconnects for events', async () => {
  const { bridge, sockets, troubles } = setup();
  bridge.onJobEvent(() => {});
  const s = sockets[0]!;
  s.open();
  const reply = bridge.jobList({});
  s.close();
  const r = await reply;
  assert.ok(!r.ok && r.error.code === 'bridge-closed');
  assert.equal(troubles[0]!.code, 'bridge-closed');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(sockets.length, 2, 'reopened for the event listener');
  bridge.close();
});

test('a host that never answers the connection gives bridge-unreachable', async () => {
  const { bridge, sockets } = setup();
  const reply = bridge.recentList({});
  sockets[0]!.close();
  const r = await reply;
  assert.ok(!r.ok && r.error.code === 'bridge-unreachable' && !r.error.message.includes('secret'), JSON.stringify(r));
  bridge.close();
});
