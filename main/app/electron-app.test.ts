// startElectronApp with Electron stubbed: what gets registered, in which order, and with which settings.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Calls, type Reply } from '../../preload/contract.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { automationFrom, findAppRoot, startElectronApp, type BrowserWindowLike, type ElectronLike } from './electron-app.ts';
import type { IpcInvokeEventLike, WebContentsLike } from './electron-surface.ts';

function fakeElectron(root: string) {
  const order: string[] = [];
  const ipc = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const protocols = new Map<string, (r: Request) => Response | Promise<Response>>();
  const windows: { options: unknown; url: string | null }[] = [];
  const dialogsShown: string[] = [];
  const contents: WebContentsLike = { on: () => undefined, setWindowOpenHandler: () => undefined, send: () => undefined, isDestroyed: () => false };
  class FakeWindow implements BrowserWindowLike {
    readonly webContents = contents;
    private readonly record: { options: unknown; url: string | null };
    constructor(options: unknown) {
      order.push('window');
      this.record = { options, url: null };
      windows.push(this.record);
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
    once() {
      return this;
    }
    show() {}
    static getAllWindows() {
      return [] as BrowserWindowLike[];
    }
  }
  const electron: ElectronLike = {
    app: {
      whenReady: async () => {
        order.push('ready');
      },
      getPath: (name) => join(root, name),
      setPath: (_name, path) => order.push(`userData=${path}`),
      getVersion: () => '9.9.9',
      isPackaged: false,
      on: () => undefined,
      quit: () => undefined,
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel, listener) => ipc.set(channel, listener) },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => order.push(`schemes:${schemes.map((s) => s.scheme).join(',')}`),
      handle: (scheme, handler) => protocols.set(scheme, handler),
    },
    dialog: {
      showOpenDialog: async (o) => {
        dialogsShown.push(o.title);
        return { canceled: true, filePaths: [] };
      },
      showSaveDialog: async (o) => {
        dialogsShown.push(o.title);
        return { canceled: true };
      },
    },
    utilityProcess: { fork: () => assert.fail('the engine is not needed here') },
    session: { defaultSession: { setPermissionRequestHandler: () => order.push('permissions'), setPermissionCheckHandler: () => undefined } },
  };
  return { electron, order, ipc, protocols, windows, dialogsShown };
}

const appPage = { senderFrame: { url: 'app://panforge/index.html', parent: null } };

test('schemes before ready; protocols, every IPC channel and one secure window after', async () => {
  const root = tempFolder('electron-app');
  const f = fakeElectron(root);
  const { core } = await startElectronApp(f.electron, { appRoot: '/opt/panforge', resourcesPath: '/opt/res', env: { PANFORGE_USER_DATA: join(root, 'ud') } });
  try {
    assert.deepEqual(f.order.slice(0, 4), ['schemes:app,panforge-out', `userData=${join(root, 'ud')}`, 'ready', 'permissions']);
    assert.deepEqual([...f.protocols.keys()].sort(), ['app', 'panforge-out']);
    assert.deepEqual(
      [...f.ipc.keys()].sort(),
      Object.values(Calls)
        .map((c) => c.channel)
        .sort(),
    );
    assert.equal(f.windows.length, 1);
    assert.equal(f.windows[0]!.url, 'app://panforge/index.html');
    const prefs = (f.windows[0]!.options as { webPreferences: Record<string, unknown> }).webPreferences;
    assert.equal(prefs.preload, '/opt/panforge/dist/preload/index.cjs');
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.nodeIntegration, false);
    // The renderer bundle folder is renderer/dist under the app root.
    const missing = await f.protocols.get('app')!(new Request('app://panforge/index.html'));
    assert.match(await missing.text(), /no index\.html in \/opt\/panforge\/renderer\/dist/);
    // Scene and export choices go through native dialogs.
    const chosen = (await f.ipc.get(Calls.sceneChoose.channel)!(appPage, { mode: 'files' })) as Reply<unknown>;
    assert.deepEqual(chosen, { ok: true, value: null });
    assert.deepEqual(f.dialogsShown, ['Open the PAN (panchromatic) image']);
    const info = (await f.ipc.get(Calls.appInfo.channel)!(appPage, {})) as Reply<unknown>;
    assert.deepEqual(info, { ok: true, value: { mode: 'electron', version: '9.9.9', outputsBaseUrl: 'panforge-out://outputs/', outputsQuery: '' } });
  } finally {
    core.stop();
  }
});

test('automated mode (e2e): no dialogs, scenes only from --allow, exports into --export-dir', async () => {
  const root = tempFolder('electron-app-e2e');
  mkdirSync(join(root, 'scenes'));
  mkdirSync(join(root, 'exports'));
  writeFileSync(join(root, 'outside_pan.tif'), '');
  const f = fakeElectron(root);
  // As Playwright's _electron.launch passes them, after Chromium's own flags and the main entry.
  const argv = [
    '--inspect=0',
    '--remote-debugging-port=0',
    join(root, 'dist/main/app/main.js'),
    '--allow',
    join(root, 'scenes'),
    '--export-dir',
    join(root, 'exports'),
    '--user-data',
    join(root, 'ud'),
  ];
  const { core } = await startElectronApp(f.electron, { appRoot: root, resourcesPath: root, env: {}, argv });
  try {
    assert.deepEqual(await f.ipc.get(Calls.sceneChoose.channel)!(appPage, { mode: 'folder' }), { ok: true, value: null });
    assert.deepEqual(await f.ipc.get(Calls.exportChoosePath.channel)!(appPage, { suggestedName: 'a.tif' }), {
      ok: true,
      value: join(root, 'exports', 'a.tif'),
    });
    assert.deepEqual(f.dialogsShown, []);
    assert.ok(f.order.includes(`userData=${join(root, 'ud')}`));
    const refused = (await f.ipc.get(Calls.sceneOpen.channel)!(appPage, {
      panPath: join(root, 'outside_pan.tif'),
      msPath: join(root, 'outside_pan.tif'),
    })) as Reply<unknown>;
    assert.equal(!refused.ok && refused.error.code, 'path-not-allowed');
  } finally {
    core.stop();
  }
});

test('the app root is the nearest folder with package.json (repo in development, asar root when packaged)', () => {
  const root = tempFolder('app-root');
  mkdirSync(join(root, 'dist', 'main', 'app'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  assert.equal(findAppRoot(join(root, 'dist', 'main', 'app')), root);
  assert.throws(() => findAppRoot('/'), /no package\.json above \//);
});

test('automation flags: command line first, environment as fallback, unknown flags ignored', () => {
  assert.deepEqual(automationFrom(['.', '--no-sandbox-is-not-ours', '--allow', '/a', '--allow=/b', '--export-dir', '/x'], {}), {
    allow: ['/a', '/b'],
    exportDir: '/x',
    userData: null,
  });
  assert.deepEqual(automationFrom(['.'], { PANFORGE_E2E_ALLOW: '/a:/b', PANFORGE_E2E_EXPORT_DIR: '/x', PANFORGE_USER_DATA: '/u' }), {
    allow: ['/a', '/b'],
    exportDir: '/x',
    userData: '/u',
  });
  assert.deepEqual(automationFrom(['.'], {}), { allow: [], exportDir: null, userData: null });
});
