import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContractError, type JobSnapshot } from './contract.ts';
import { callMessage, eventMessage, parseCallMessage, parseFromHost, replyFor, replyMessage } from './bridge-wire.ts';

const job: JobSnapshot = {
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
  createdAt: '2026-12-01T00:00:00.000Z',
};

/** Messages travel as JSON text; round-trip through it like the socket does. */
const viaJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

test('a call message survives the wire and keeps its payload unparsed', () => {
  const msg = parseCallMessage(viaJson(callMessage(7, 'sceneOpen', { panPath: '/a/pan.tif', msPath: '/a/ms.tif', extra: 1 })));
  assert.equal(msg.id, 7);
  assert.equal(msg.name, 'sceneOpen');
  assert.deepEqual(msg.payload, { panPath: '/a/pan.tif', msPath: '/a/ms.tif', extra: 1 });
});

test('malformed call messages are refused with a ContractError naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [null, /wire call: expected/],
    [{ kind: 'reply', id: 1, name: 'appInfo' }, /wire call: expected/],
    [{ kind: 'call', id: -1, name: 'appInfo' }, /wire call\.id/],
    [{ kind: 'call', id: 1.5, name: 'appInfo' }, /wire call\.id/],
    [{ kind: 'call', id: '1', name: 'appInfo' }, /wire call\.id/],
    [{ kind: 'call', id: 1, name: 'toString' }, /wire call\.name: expected one of appInfo\|/],
    [{ kind: 'call', id: 1, name: '__proto__' }, /wire call\.name/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseCallMessage(input),
      (err: unknown) => err instanceof ContractError && message.test(err.message),
      JSON.stringify(input),
    );
  }
});

test('host messages: replies keep the raw envelope, events are parsed fully', () => {
  const reply = parseFromHost(viaJson(replyMessage(3, { ok: true, value: [] })));
  assert.deepEqual(reply, { kind: 'reply', id: 3, reply: { ok: true, value: [] } });
  const event = parseFromHost(viaJson(eventMessage({ type: 'state', job })));
  assert.equal(event.kind, 'event');
  assert.deepEqual(event.kind === 'event' && event.event, { type: 'state', job });
  assert.throws(() => parseFromHost({ kind: 'event', channel: 'panforge:other', event: { type: 'state', job } }), /channel/);
  assert.throws(() => parseFromHost({ kind: 'event', channel: 'panforge:job.event', event: { type: 'state', job: { ...job, state: 'odd' } } }), /state/);
  assert.throws(() => parseFromHost({ kind: 'reply', id: 1 }), /reply/);
  assert.throws(() => parseFromHost({ kind: 'hello' }), /kind/);
});

test('replyFor parses the value with the call schema and never throws', () => {
  const ok = replyFor('jobList', viaJson({ ok: true, value: [job] }));
  assert.deepEqual(ok, { ok: true, value: [job] });
  const err = replyFor('jobList', { ok: false, error: { code: 'unknown-job', message: 'no job j9' } });
  assert.deepEqual(err, { ok: false, error: { code: 'unknown-job', message: 'no job j9', details: {} } });
  const bad = replyFor('jobList', { ok: true, value: [{ ...job, tileSizePx: 'big' }] });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'contract');
  assert.match(!bad.ok ? bad.error.message : '', /tileSizePx/);
  const notEnvelope = replyFor('appInfo', 'nope');
  assert.equal(!notEnvelope.ok && notEnvelope.error.code, 'contract');
});
