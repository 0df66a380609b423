import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Calls, type JobEvent, type JobSnapshot } from './contract.ts';
import { createPanforgeApi, type IpcRendererLike } from './panforge-api.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** An ipcRenderer stand-in: records invokes and answers from `answer`; keeps real listener bookkeeping. */
function fakeIpc(answer: (channel: string, payload: unknown) => unknown) {
  const invokes: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invokes.push({ channel, args });
      return answer(channel, args[0]);
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'the IPC event must not leak' }, payload);
  };
  return { ipc, invokes, listeners, emit };
}

const job: JobSnapshot = {
  jobId: 'j1',
  sceneId: 's1',
  method: 'brovey',
  device: 'cpu',
  tileSizePx: 512,
  previewExtent: null,
  adapt: false,
  state: 'running',
  progress: null,
  error: null,
  result: null,
  createdAt: '2026-12-01T00:00:00.000Z',
};

test('every call of the contract exists and goes to its channel with the parsed payload only', async () => {
  const { ipc, invokes } = fakeIpc((channel) => (channel === Calls.jobCancel.channel ? { ok: true, value: job } : { ok: true, value: null }));
  const api = createPanforgeApi(ipc);
  for (const name of Object.keys(Calls)) assert.equal(typeof (api as unknown as Record<string, unknown>)[name], 'function', name);
  assert.ok(Object.isFrozen(api));
  const reply = await api.jobCancel({ jobId: 'j1', extra: 'dropped' } as never);
  assert.deepEqual(reply, { ok: true, value: job });
  assert.deepEqual(invokes, [{ channel: 'panforge:job.cancel', args: [{ jobId: 'j1' }] }]);
});

test('a bad request never reaches IPC; bad replies and IPC failures become error replies, not rejections', async () => {
  const { ipc, invokes } = fakeIpc((channel) => {
    if (channel === Calls.jobList.channel) return { ok: true, value: [{ ...job, state: 'exploded' }] };
    throw new Error("No handler registered for 'panforge:app.info'");
  });
  const api = createPanforgeApi(ipc);
  const bad = await api.sceneOpen({ panPath: 42 } as never);
  assert.equal(!bad.ok && bad.error.code, 'contract');
  assert.match(!bad.ok ? bad.error.message : '', /panforge:scene\.open\.panPath: expected a non-empty string/);
  assert.equal(invokes.length, 0);
  const badReply = await api.jobList({});
  assert.equal(!badReply.ok && badReply.error.code, 'contract');
  const broken = await api.appInfo({});
  assert.deepEqual(broken, { ok: false, error: { code: 'internal', message: "No handler registered for 'panforge:app.info'", details: {} } });
});

test('onJobEvent forwards parsed payloads only, drops malformed ones, and unsubscribes', () => {
  const warnings: string[] = [];
  const { ipc, emit, listeners } = fakeIpc(() => null);
  const api = createPanforgeApi(ipc, (m) => warnings.push(m));
  const a: unknown[][] = [];
  const b: unknown[][] = [];
  const offA = api.onJobEvent((...args) => a.push(args));
  const offB = api.onJobEvent((...args) => b.push(args));
  assert.equal(listeners.get('panforge:job.event')?.size, 1, 'one IPC subscription for all listeners');
  const event: JobEvent = { type: 'state', job };
  emit('panforge:job.event', event);
  emit('panforge:job.event', { type: 'state', job: { ...job, jobId: '' } });
  assert.deepEqual(a, [[event]]);
  assert.deepEqual(b, [[event]]);
  assert.match(warnings[0] ?? '', /dropped a malformed job event/);
  offA();
  emit('panforge:job.event', event);
  assert.equal(a.length, 1);
  assert.equal(b.length, 2);
  offB();
  assert.equal(listeners.get('panforge:job.event')?.size, 0, 'the IPC listener goes with the last subscriber');
  assert.throws(() => api.onJobEvent('nope' as never), /expected a function/);
});
