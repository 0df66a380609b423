// IPC wiring with ipcMain stubbed and the real AppCore behind it (no engine: the calls used here never start one).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Calls, type JobEvent, type Reply } from '../../preload/contract.ts';
import { AppCore } from '../app-core/app-core.ts';
import { noDialogChooser } from '../app-core/no-dialog-chooser.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import type { FrameLike, IpcInvokeEventLike, WebContentsLike } from './electron-surface.ts';
import { forwardJobEvents, registerIpcHandlers, senderRefusal } from './ipc-handlers.ts';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

function wire() {
  const dir = tempFolder('ipc');
  const handlers = new Map<string, Handler>();
  let engineStarts = 0;
  const core = new AppCore({
    mode: 'electron',
    version: '1.2.3',
    userDataDir: dir,
    outputsBaseUrl: 'panforge-out://outputs/',
    outputsQuery: '',
    startEngine: () => {
      engineStarts++;
      throw new Error('this test never needs the engine');
    },
    chooser: noDialogChooser(dir),
  });
  const logs: string[] = [];
  registerIpcHandlers({ handle: (channel, listener) => handlers.set(channel, listener) }, core, (m) => logs.push(m));
  return { handlers, logs, engineStarts: () => engineStarts };
}

const mainFrame = (url: string): FrameLike => ({ url, parent: null });
const from = (frame: FrameLike | null): IpcInvokeEventLike => ({ senderFrame: frame });

test('one handler per contract channel', () => {
  const { handlers } = wire();
  assert.deepEqual(
    [...handlers.keys()].sort(),
    Object.values(Calls)
      .map((c) => c.channel)
      .sort(),
  );
});

test('the app page in a main frame is served; payloads are parsed before the core acts', async () => {
  const { handlers, engineStarts } = wire();
  const info = (await handlers.get('panforge:app.info')!(from(mainFrame('app://panforge/index.html')), {})) as Reply<unknown>;
  assert.deepEqual(info, { ok: true, value: { mode: 'electron', version: '1.2.3', outputsBaseUrl: 'panforge-out://outputs/', outputsQuery: '' } });
  const bad = (await handlers.get('panforge:job.start')!(from(mainFrame('app://panforge/')), { sceneId: 's', method: 'm', device: 'gpu' })) as Reply<unknown>;
  assert.equal(!bad.ok && bad.error.code, 'contract');
  const twoArgs = (await handlers.get('panforge:app.info')!(from(mainFrame('app://panforge/')), {}, { smuggled: true })) as Reply<unknown>;
  assert.equal(!twoArgs.ok && twoArgs.error.code, 'contract');
  assert.equal(engineStarts(), 0);
});

test('other senders are refused before the payload is even looked at', async () => {
  const { handlers, logs, engineStarts } = wire();
  const refused: [IpcInvokeEventLike, RegExp][] = [
    [from(null), /the sending frame is gone/],
    [from({ url: 'app://panforge/index.html', parent: {} }), /subframe/],
    [from(mainFrame('file:///tmp/evil.html')), /file:\/\/ is not app:\/\/panforge/],
    [from(mainFrame('https://evil.example/')), /https:\/\/evil\.example is not/],
    [from(mainFrame('app://other/index.html')), /app:\/\/other is not/],
    [from(mainFrame('not a url')), /does not parse/],
  ];
  for (const [event, why] of refused) {
    const reply = (await handlers.get('panforge:scene.open')!(event, { panPath: '/etc/passwd', msPath: '/etc/passwd' })) as Reply<unknown>;
    assert.equal(!reply.ok && reply.error.code, 'forbidden-sender');
    assert.match(!reply.ok ? reply.error.message : '', why);
  }
  assert.equal(logs.length, refused.length);
  assert.match(logs[0]!, /^Refused to handle panforge:scene\.open because/);
  assert.equal(engineStarts(), 0);
  assert.equal(senderRefusal(mainFrame('app://panforge/deep/page.html')), null);
});

test('job events reach every live window, payload only, until unsubscribed', () => {
  const sent: [string, unknown[]][] = [];
  const contents = (destroyed: boolean): WebContentsLike => ({
    on: () => undefined,
    setWindowOpenHandler: () => undefined,
    send: (channel, ...args) => sent.push([channel, args]),
    isDestroyed: () => destroyed,
  });
  let listener: ((e: JobEvent) => void) | null = null;
  const off = forwardJobEvents(
    (l) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
    () => [contents(false), contents(true), contents(false)],
  );
  const event: JobEvent = { type: 'log', jobId: 'j1', message: 'hello' };
  listener!(event);
  assert.deepEqual(sent, [
    ['panforge:job.event', [event]],
    ['panforge:job.event', [event]],
  ]);
  off();
  assert.equal(listener, null);
});
