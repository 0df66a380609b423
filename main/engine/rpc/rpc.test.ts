// The envelope end to end over a real MessageChannel (structured clone, transfers): results, progress, errors
// with their class, cancel, a dead callee, and messages that are not the envelope.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { CancelledError, InputError } from '../errors.ts';
import { parseFromCallee, parseToCallee } from './envelope.ts';
import { RpcClient } from './rpc-client.ts';
import { serveRpc, type RpcServerOptions } from './rpc-server.ts';

function pair(handle: RpcServerOptions['handle'], extra: Partial<RpcServerOptions> = {}) {
  const { port1, port2 } = new MessageChannel();
  const malformed: Error[] = [];
  const notices: [string, unknown][] = [];
  const client = new RpcClient(
    { post: (message, transfer) => port1.postMessage(message, [...transfer]) },
    { where: 'test callee', onMalformed: (err) => malformed.push(err), onNotice: (topic, payload) => notices.push([topic, payload]) },
  );
  port1.on('message', (m: unknown) => client.receive(m));
  const server = serveRpc(
    { post: (message, transfer) => port2.postMessage(message, [...transfer]), onMessage: (listener) => port2.on('message', listener) },
    { where: 'test', handle, ...extra },
  );
  const close = () => {
    port1.close();
    port2.close();
  };
  return { client, server, port1, port2, malformed, notices, close };
}

test('a call gets its value, its progress in order, and transferred buffers arrive whole', async () => {
  const { client, close } = pair(
    async (method, payload, ctx) => {
      for (let i = 1; i <= 3; i++) ctx.progress({ step: i });
      return method === 'double' ? Float64Array.from(payload as number[], (v) => v * 2) : null;
    },
    { transferOf: (v) => (v instanceof Float64Array ? [v.buffer as ArrayBuffer] : []) },
  );
  try {
    const steps: unknown[] = [];
    const value = await client.call('double', [1, 2, 3], { onProgress: (e) => steps.push(e) });
    assert.deepEqual(value, Float64Array.from([2, 4, 6]));
    assert.deepEqual(steps, [{ step: 1 }, { step: 2 }, { step: 3 }]);
    assert.equal(client.busy, false);
  } finally {
    close();
  }
});

test('a thrown PanForgeError comes back as the same class; the raw outcome keeps the wire fields', async () => {
  const { client, close } = pair(async () => {
    throw new InputError('file-not-found', 'pan.tif does not exist', { path: 'pan.tif' });
  });
  try {
    await assert.rejects(
      client.call('open', {}),
      (err: unknown) => err instanceof InputError && err.code === 'file-not-found' && err.details.path === 'pan.tif',
    );
    const outcome = await client.request('open', {});
    assert.deepEqual(outcome, {
      ok: false,
      error: { kind: 'InputError', name: 'InputError', code: 'file-not-found', message: 'pan.tif does not exist', details: { path: 'pan.tif' } },
    });
  } finally {
    close();
  }
});

test('cancel fires the call’s signal in the callee, which answers CancelledError', async () => {
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const { client, close } = pair(
    (_method, _payload, ctx) =>
      new Promise((_resolve, reject) => {
        started();
        ctx.signal.addEventListener('abort', () => reject(new CancelledError('stopped by request')));
      }),
  );
  try {
    const controller = new AbortController();
    const call = client.call('long', null, { signal: controller.signal });
    await running;
    controller.abort();
    await assert.rejects(call, (err: unknown) => err instanceof CancelledError && err.message === 'stopped by request');
  } finally {
    close();
  }
});

test('fail() rejects every pending call, telling cancelled calls apart', async () => {
  const { client, close } = pair(() => new Promise(() => undefined));
  try {
    const controller = new AbortController();
    const plain = client.call('hang', 1);
    const cancelled = client.call('hang', 2, { signal: controller.signal });
    controller.abort();
    client.fail((cancelRequested) => new Error(cancelRequested ? 'was cancelled' : 'callee died'));
    await assert.rejects(plain, /callee died/);
    await assert.rejects(cancelled, /was cancelled/);
    assert.equal(client.busy, false);
  } finally {
    close();
  }
});

test('sequential: requests run one at a time, in order', async () => {
  const order: string[] = [];
  const { client, close } = pair(
    async (method) => {
      order.push(`start ${method}`);
      await new Promise((r) => setTimeout(r, method === 'a' ? 30 : 1));
      order.push(`end ${method}`);
      return method;
    },
    { sequential: true },
  );
  try {
    assert.deepEqual(await Promise.all([client.call('a', null), client.call('b', null)]), ['a', 'b']);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
  } finally {
    close();
  }
});

test('not the envelope: the callee answers an error for id -1, the caller reports what it got', async () => {
  const { port1, port2, malformed, notices, close } = pair(async () => null);
  try {
    const answer = new Promise<unknown>((r) => port1.once('message', r));
    port1.postMessage({ kind: 'call', callId: 1 });
    const reply = parseFromCallee(await answer, 'test');
    assert.equal(reply.kind, 'error');
    assert.ok(reply.kind === 'error' && reply.id === -1 && /expected \{kind: request/.test(reply.error.message));
    port2.postMessage({ kind: 'result', id: 'x' });
    port2.postMessage({ kind: 'notice', topic: 'ready', payload: { pid: 1 } });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(malformed.length, 1);
    assert.match(malformed[0]!.message, /test callee message: expected an integer id/);
    assert.deepEqual(notices, [['ready', { pid: 1 }]]);
  } finally {
    close();
  }
});

test('the parsers refuse what is not the envelope', () => {
  assert.deepEqual(parseToCallee({ kind: 'cancel', id: 3 }, 'w'), { kind: 'cancel', id: 3 });
  assert.throws(() => parseToCallee({ kind: 'request', id: 1 }, 'w'), /w: expected/);
  assert.throws(() => parseToCallee({ kind: 'request', id: 1.5, method: 'm' }, 'w'), /integer id/);
  assert.throws(() => parseFromCallee({ kind: 'error', id: 1, error: { message: 'x' } }, 'w'), /w\.error: expected an encoded error/);
  assert.throws(() => parseFromCallee({ kind: 'notice', payload: 1 }, 'w'), /w: expected/);
  assert.throws(() => parseFromCallee(null, 'w'), /w: expected/);
});
