import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionLike, WebContentsLike } from './electron-surface.ts';
import { denyPermissions, lockDownContents, windowOptions } from './window-security.ts';

test('the window runs the renderer isolated, sandboxed, without Node, with web security on', () => {
  const prefs = windowOptions('/app/dist/preload/index.cjs').webPreferences;
  assert.equal(prefs.preload, '/app/dist/preload/index.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
});

test('navigation, new windows and webviews are refused; permissions denied', () => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents: WebContentsLike = {
    on: (event: string, listener: (...args: never[]) => void) => handlers.set(event, listener as (...args: unknown[]) => unknown),
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
    send: () => undefined,
    isDestroyed: () => false,
  };
  const logs: string[] = [];
  lockDownContents(contents, (m) => logs.push(m));
  let prevented = 0;
  const event = { preventDefault: () => prevented++ };
  handlers.get('will-navigate')!(event, 'https://evil.example/');
  handlers.get('will-attach-webview')!(event);
  assert.equal(prevented, 2);
  assert.deepEqual(openHandler!({ url: 'https://evil.example/popup' }), { action: 'deny' });
  assert.deepEqual(logs, ['refused navigation to https://evil.example/', 'refused to open a window for https://evil.example/popup']);

  let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] = null;
  let check: Parameters<SessionLike['setPermissionCheckHandler']>[0] = null;
  denyPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
  const granted: boolean[] = [];
  request!(null, 'media', (g) => granted.push(g));
  assert.deepEqual(granted, [false]);
  assert.equal(check!(null, 'notifications'), false);
});
