/**
 * @module main/app/electron-app
 * Wires the app core into Electron: privileged schemes, the app:// and panforge-out:// protocols, IPC through one
 * checked handler, the engine in a utilityProcess, native dialogs, and one locked-down window. Electron comes in
 * as a parameter (main.ts passes the real module), so tests drive this with stubs under plain Node.
 *
 * Automated runs (Playwright's _electron), with the browser host's flags: `--allow <path>` (repeatable) together
 * with `--export-dir <dir>` replace the dialogs (scenes open by path from the allowed files/folders, exports go to
 * that folder); `--user-data <dir>` moves the user-data folder. The same as environment variables:
 * PANFORGE_E2E_ALLOW (paths joined by ':'), PANFORGE_E2E_EXPORT_DIR, PANFORGE_USER_DATA.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
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

export interface Automation {
  readonly allow: string[];
  readonly exportDir: string | null;
  readonly userData: string | null;
}

/**
 * The automation flags from the command line (Electron and Chromium add flags of their own, so unknown ones are
 * ignored), falling back to the environment. Without both allow and export dir, dialogs stay on.
 */
export function automationFrom(argv: readonly string[], env: Record<string, string | undefined>): Automation {
  const { values } = parseArgs({
    args: [...argv],
    options: { allow: { type: 'string', multiple: true }, 'export-dir': { type: 'string' }, 'user-data': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string' && v !== '') : []);
  const one = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? resolve(x) : null);
  const allow = strings(values.allow).map((p) => resolve(p));
  return {
    allow: allow.length > 0 ? allow : (env.PANFORGE_E2E_ALLOW ?? '').split(delimiter).filter(Boolean),
    exportDir: one(values['export-dir']) ?? one(env.PANFORGE_E2E_EXPORT_DIR),
    userData: one(values['user-data']) ?? one(env.PANFORGE_USER_DATA),
  };
}

export interface ElectronAppOptions {
  /** The folder holding package.json, dist/ and renderer/dist (the asar root when packaged). */
  readonly appRoot: string;
  /** process.resourcesPath: where electron-builder puts extraResources (models/onnx). */
  readonly resourcesPath: string;
  readonly env: Record<string, string | undefined>;
  /** process.argv after the executable (and the app path); see automationFrom [default none]. */
  readonly argv?: readonly string[];
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
  const automation = automationFrom(options.argv ?? [], env);
  if (automation.userData) app.setPath('userData', automation.userData);
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();

  denyPermissions(electron.session.defaultSession);
  const paths = bundlePaths(options.appRoot);
  const modelsDir = app.isPackaged ? join(options.resourcesPath, 'models', 'onnx') : join(options.appRoot, 'models', 'onnx');
  const exportDir = automation.allow.length > 0 ? automation.exportDir : null;
  const chooser: AppChooser = exportDir ? noDialogChooser(exportDir) : dialogChooser(electron.dialog, () => app.getPath('documents'));
  if (exportDir) mkdirSync(exportDir, { recursive: true });
  if (exportDir) log(`automated mode: no dialogs; scenes from ${automation.allow.join(', ')}, exports to ${exportDir}`);

  const core = new AppCore({
    mode: 'electron',
    version: app.getVersion(),
    userDataDir: app.getPath('userData'),
    outputsBaseUrl: OUTPUTS_BASE_URL,
    outputsQuery: '',
    startEngine: () =>
      utilityEngine(electron.utilityProcess, { entryPath: paths.engineEntry, env: { ...env, PANFORGE_MODELS_DIR: env.PANFORGE_MODELS_DIR ?? modelsDir } }),
    chooser,
    allowScenePaths: exportDir ? automation.allow : [],
    exportDirs: exportDir ? [exportDir] : [],
    trustRecentScenes: true,
    log,
  });
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request, paths.renderer));
  protocol.handle(OUTPUTS_SCHEME, (request) => outputsProtocolResponse(request, (layerId, method, range) => core.rasterResponse(layerId, method, range)));
  registerIpcHandlers(electron.ipcMain, core, log);
  forwardJobEvents(
    (listener) => core.onJobEvent(listener),
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  );
  app.on('will-quit', () => core.stop());

  const window = new BrowserWindow(windowOptions(paths.preload));
  lockDownContents(window.webContents, log);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_URL);
  return { core, window };
}
