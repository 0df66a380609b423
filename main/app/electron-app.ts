/**
 * @module main/app/electron-app
 * Wires the app core into Electron: privileged schemes, the app:// and panforge-out:// protocols, IPC through one
 * checked handler, the engine in a utilityProcess, native dialogs, and one locked-down window. Electron comes in
 * as a parameter (main.ts passes the real module), so tests drive this with stubs under plain Node.
 *
 * Environment: PANFORGE_USER_DATA moves the user-data folder (tests). PANFORGE_E2E_ALLOW (paths joined by ':')
 * and PANFORGE_E2E_EXPORT_DIR replace the dialogs for an automated run: scenes open by path from the allowed
 * folders, exports go to that folder, as in the browser host.
 */
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { AppCore, type AppChooser } from '../app-core/app-core.ts';
import { noDialogChooser } from '../app-core/no-dialog-chooser.ts';
import { APP_SCHEME, APP_URL, appProtocolResponse, OUTPUTS_BASE_URL, OUTPUTS_SCHEME, outputsProtocolResponse, privilegedSchemes } from './app-protocol.ts';
import { dialogChooser } from './dialog-chooser.ts';
import type { DialogLike, IpcMainLike, ProtocolLike, SessionLike, UtilityProcessLike, WebContentsLike } from './electron-surface.ts';
import { utilityEngine } from './engine-process.ts';
import { forwardJobEvents, registerIpcHandlers } from './ipc-handlers.ts';
import { denyPermissions, lockDownContents, windowOptions } from './window-security.ts';

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export interface ElectronLike {
  readonly app: {
    whenReady(): Promise<void>;
    getPath(name: 'userData' | 'documents'): string;
    setPath(name: 'userData', path: string): void;
    getVersion(): string;
    readonly isPackaged: boolean;
    on(event: 'window-all-closed' | 'will-quit', listener: () => void): unknown;
    quit(): void;
  };
  readonly BrowserWindow: {
    new (options: ReturnType<typeof windowOptions>): BrowserWindowLike;
    getAllWindows(): BrowserWindowLike[];
  };
  readonly ipcMain: IpcMainLike;
  readonly protocol: ProtocolLike & { registerSchemesAsPrivileged(schemes: typeof privilegedSchemes): void };
  readonly dialog: DialogLike;
  readonly utilityProcess: UtilityProcessLike;
  readonly session: { readonly defaultSession: SessionLike };
}

export interface ElectronAppOptions {
  /** The folder holding package.json, dist/ and renderer/dist (the asar root when packaged). */
  readonly appRoot: string;
  /** process.resourcesPath: where electron-builder puts extraResources (models/onnx). */
  readonly resourcesPath: string;
  readonly env: Record<string, string | undefined>;
  readonly log?: (message: string) => void;
}

/** The folder above `from` that holds package.json: the repo root in development, the asar root when packaged. */
export function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}; the app bundle is incomplete`);
  }
}

export const bundlePaths = (appRoot: string) => ({
  preload: join(appRoot, 'dist', 'preload', 'index.cjs'),
  engineEntry: join(appRoot, 'dist', 'engine', 'entry.js'),
  renderer: join(appRoot, 'renderer', 'dist'),
});

/** Registers the schemes (must run before `ready`), then sets everything up once Electron is ready. */
export async function startElectronApp(electron: ElectronLike, options: ElectronAppOptions): Promise<{ core: AppCore; window: BrowserWindowLike }> {
  const { app, BrowserWindow, protocol } = electron;
  const log = options.log ?? ((m: string) => console.error(`panforge: ${m}`));
  const { env } = options;
  protocol.registerSchemesAsPrivileged(privilegedSchemes);
  if (env.PANFORGE_USER_DATA) app.setPath('userData', env.PANFORGE_USER_DATA);
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();

  denyPermissions(electron.session.defaultSession);
  const paths = bundlePaths(options.appRoot);
  const modelsDir = app.isPackaged ? join(options.resourcesPath, 'models', 'onnx') : join(options.appRoot, 'models', 'onnx');
  const e2eAllow = env.PANFORGE_E2E_ALLOW ? env.PANFORGE_E2E_ALLOW.split(delimiter).filter(Boolean) : [];
  const e2eExportDir = env.PANFORGE_E2E_EXPORT_DIR;
  const automated = e2eAllow.length > 0 && e2eExportDir !== undefined;
  const chooser: AppChooser = automated ? noDialogChooser(e2eExportDir) : dialogChooser(electron.dialog, () => app.getPath('documents'));
  if (automated) log(`automated mode: no dialogs; scenes from ${e2eAllow.join(', ')}, exports to ${e2eExportDir}`);

  const core = new AppCore({
    mode: 'electron',
    version: app.getVersion(),
    userDataDir: app.getPath('userData'),
    outputsBaseUrl: OUTPUTS_BASE_URL,
    outputsQuery: '',
    startEngine: () => utilityEngine(electron.utilityProcess, { entryPath: paths.engineEntry, env: { ...env, PANFORGE_MODELS_DIR: env.PANFORGE_MODELS_DIR ?? modelsDir } }),
    chooser,
    allowScenePaths: e2eAllow,
    exportDirs: automated ? [e2eExportDir] : [],
    trustRecentScenes: true,
    log,
  });
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request, paths.renderer));
  protocol.handle(OUTPUTS_SCHEME, (request) => outputsProtocolResponse(request, (layerId, method, range) => core.rasterResponse(layerId, method, range)));
  registerIpcHandlers(electron.ipcMain, core, log);
  forwardJobEvents((listener) => core.onJobEvent(listener), () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  app.on('will-quit', () => core.stop());

  const window = new BrowserWindow(windowOptions(paths.preload));
  lockDownContents(window.webContents, log);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_URL);
  return { core, window };
}
