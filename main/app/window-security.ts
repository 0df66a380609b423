/**
 * @module main/app/window-security
 * The window's security settings and guards, from Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security). Kept apart from window creation so tests can
 * check every setting without an Electron binary.
 */
import type { SessionLike, WebContentsLike } from './electron-surface.ts';

/** @see security checklist items 2–4 (no Node in renderers, context isolation, sandbox) and 5–6 (webSecurity, insecure content). */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

export function windowOptions(preloadPath: string) {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'PanForge',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/**
 * @see checklist item 13 (disable navigation), 14 (disable new windows), 12 (no <webview>). The app is one page:
 * every navigation and every window.open is refused (a reload is not a navigation and still works).
 */
export function lockDownContents(contents: WebContentsLike, log: (message: string) => void = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`refused navigation to ${url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`refused to open a window for ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** @see checklist item 10 (handle session permission requests): the app needs no camera, notifications, geolocation… */
export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
