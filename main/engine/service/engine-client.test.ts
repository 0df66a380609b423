// EngineClient against a scripted transport: invoke's values, errors and progress; cancel-then-kill of an engine
// that does not answer; a crash as EngineCrashedError (invoke) or an engine-crashed Reply (call); strict mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, EngineCrashedError, InputError } from '../errors.ts';
import { encodeError } from '../rpc/error-codec.ts';
import type { ToCallee } from '../rpc/envelope.ts';
import { EngineClient, type EngineTransport } from './engine-client.ts';

/** A transport whose engine is `answer`: it sees each message and may reply through `send`. */
function scripted(answer: (message: ToCallee, send: (m: unknown) => void) => void) {
  let listener: (m: unknown) => void = () => undefined;
  let onExit: (d: string) => void = () => undefined;
  const sent: ToCallee[] = [];
  let kills = 0;
  const send = (m: unknown) => setImmediate(() => listener(m));
  const transport: EngineTransport = {
    post: (message) => {
      sent.push(message);
      answer(message, send);
    },
    onMessage: (l) => (listener = l),
    onExit: (l) => (onExit = l),
    kill: () => {
      kills++;
      setImmediate(() => onExit('killed by SIGKILL'));
    },
  };
  return { transport, sent, kills: () => kills, exit: (d: string) => onExit(d) };
}

const result = { outPath: '/tmp/out.tif', tiles: 4 };

test('invoke: progress in order, then the value checked by the method’s schema', async () => {
  const engine = scripted((m, send) => {
    if (m.kind !== 'request') return;
    send({ kind: 'progress', id: m.id, event: { type: 'progress', tilesDone: 1 } });
    send({ kind: 'progress', id: m.id, event: { type: 'progress', tilesDone: 2 } });
    send({ kind: 'result', id: m.id, value: result });
  });
  const client = new EngineClient({ start: () => engine.transport });
  const events: unknown[] = [];
  const value = await client.invoke('sharpenRun', { panPath: 'p', msPath: 'm', method: 'exp', outPath: '/tmp/out.tif' }, { onProgress: (e) => events.push(e) });
  assert.deepEqual(value, result);
  assert.deepEqual(events, [
    { type: 'progress', tilesDone: 1 },
    { type: 'progress', tilesDone: 2 },
  ]);
});

test('invoke rethrows the engine’s class; call answers the same error as a Reply', async () => {
  const engine = scripted((m, send) => {
    if (m.kind === 'request') send({ kind: 'error', id: m.id, error: encodeError(new InputError('file-not-found', 'no pan.tif', { path: 'pan.tif' })) });
  });
  const client = new EngineClient({ start: () => engine.transport });
  await assert.rejects(client.invoke('methodsList', {}), (err: unknown) => err instanceof InputError && err.code === 'file-not-found');
  assert.deepEqual(await client.call('methodsList', {}), { ok: false, error: { code: 'file-not-found', message: 'no pan.tif', details: { path: 'pan.tif' } } });
});

test('a cancelled call whose engine does not answer: cancel sent, the engine killed after the grace, CancelledError', async () => {
  const engine = scripted(() => undefined);
  const client = new EngineClient({ start: () => engine.transport });
  const controller = new AbortController();
  const started = Date.now();
  const run = client.invoke(
    'sharpenRun',
    { panPath: 'p', msPath: 'm', method: 'exp', outPath: '/tmp/out.tif' },
    { signal: controller.signal, cancelGraceMs: 100 },
  );
  controller.abort();
  await assert.rejects(run, (err: unknown) => err instanceof CancelledError && /the engine process was stopped/.test(err.message));
  assert.ok(Date.now() - started >= 90);
  assert.deepEqual(
    engine.sent.map((m) => m.kind),
    ['request', 'cancel'],
  );
  assert.equal(engine.kills(), 1);
});

test('the engine dies under a call: EngineCrashedError from crashError (invoke), engine-crashed Reply (call)', async () => {
  const engine = scripted(() => undefined);
  const client = new EngineClient({ start: () => engine.transport, crashError: (exit) => new EngineCrashedError(`gone (${exit})`, { exit }) });
  const run = client.invoke('methodsList', {});
  const called = client.call('methodsList', {});
  engine.exit('exit code 9');
  await assert.rejects(run, (err: unknown) => err instanceof EngineCrashedError && err.message === 'gone (exit code 9)');
  assert.deepEqual(await called, { ok: false, error: { code: 'engine-crashed', message: 'gone (exit code 9)', details: { exit: 'exit code 9' } } });
});

test('strict: a malformed message fails the pending call and stops the engine; otherwise it is logged and ignored', async () => {
  const engine = scripted((m, send) => {
    if (m.kind === 'request') send({ kind: 'result', id: 'one', value: [] });
  });
  const strict = new EngineClient({ start: () => engine.transport, strict: true });
  await assert.rejects(strict.invoke('methodsList', {}), /engine message: expected an integer id/);
  assert.equal(engine.kills(), 1);

  const logs: string[] = [];
  const lenient = scripted((m, send) => {
    if (m.kind !== 'request') return;
    send({ kind: 'result', id: 'one', value: [] });
    send({ kind: 'result', id: m.id, value: [] });
  });
  const client = new EngineClient({ start: () => lenient.transport, log: (l) => logs.push(l) });
  assert.deepEqual(await client.call('methodsList', {}), { ok: true, value: [] });
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /malformed message, ignored/);
});
