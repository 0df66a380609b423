/**
 * @module main/app-core/app-core
 * Everything behind `PanForgeApi` that is not a window: shared by Electron main (main/app) and the browser host
 * (main/host), so it never imports electron. Each call is parsed against the contract first, then checked (scene
 * files only where the user chose them, export paths only where the user chose them), then handed to the engine
 * process. Output paths are chosen here, never by the renderer. The engine's raster announcements fill the
 * registry that the outputs protocol serves from; job events are forwarded and finished runs remembered.
 * Storage housekeeping (user-storage.ts) sweeps runs/ and cache/ at start-up and after each scene opens, and
 * never touches a run a job writes or a display copy the map shows.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ErrorCode,
  parseRequest,
  toWireError,
  type AppInfo,
  type CallName,
  type CallRequest,
  type CallValue,
  type JobEvent,
  type JobSnapshot,
  type Reply,
  type SceneFiles,
} from '../../preload/contract.ts';
import { InputError, OutputError, PanForgeError } from '../engine/errors.ts';
import { EngineClient, type EngineTransport } from '../engine/service/engine-client.ts';
import { pairSceneFolder } from './folder-pairing.ts';
import { canonicalPath, PathAllowlist } from './path-allowlist.ts';
import { planRasterResponse, RasterRegistry, type RasterResponse } from './raster-response.ts';
import { RecentStore } from './recent-store.ts';
import { UserStorage, type RemovedFile, type StoragePolicy } from './user-storage.ts';

/** How the user chooses files: native dialogs in Electron; in the browser host there are no scene dialogs (null). */
export interface AppChooser {
  /** null = cancelled or no dialog. */
  chooseSceneFiles(): Promise<SceneFiles | null>;
  chooseSceneFolder(): Promise<string | null>;
  chooseExportPath(suggestedName: string): Promise<string | null>;
}

export interface AppCoreOptions {
  readonly mode: AppInfo['mode'];
  readonly version: string;
  /** recent.json, cache/ (display copies of PAN and MS) and runs/ (sharpened outputs) go here. */
  readonly userDataDir: string;
  readonly outputsBaseUrl: string;
  readonly outputsQuery: string;
  /** Starts a fresh engine process (forkEngine in plain Node, utilityProcess in Electron). */
  readonly startEngine: () => EngineTransport;
  readonly chooser: AppChooser;
  /** Files or folders allowed up front (the host's `--allow`) [default none]. */
  readonly allowScenePaths?: readonly string[];
  /** Folders exports may be written to (the host's `--export-dir`); save-dialog choices are added one by one [default none]. */
  readonly exportDirs?: readonly string[];
  /** Reopen recent scenes without a dialog: the user chose them in an earlier session [default false]. */
  readonly trustRecentScenes?: boolean;
  /** Cache age and size limits [defaults in user-storage.ts: 30 days, 8 GiB]. */
  readonly storage?: StoragePolicy;
  readonly log?: (message: string) => void;
}

interface JobInfo {
  readonly method: string;
  readonly panPath: string;
  readonly outPath: string;
}

type Handlers = { readonly [K in CallName]: (request: CallRequest<K>) => Promise<CallValue<K>> };

function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new PanForgeError(reply.error.code, reply.error.message, reply.error.details);
}

const FINAL_STATES: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

function safeToken(x: string): string {
  return x.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'x';
}

export class AppCore {
  private readonly engine: EngineClient;
  private readonly scenePaths: PathAllowlist;
  private readonly exportPaths: PathAllowlist;
  private readonly rasters = new RasterRegistry();
  private readonly recent: RecentStore;
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly scenes = new Map<string, SceneFiles>();
  private readonly jobs = new Map<string, JobInfo>();
  private readonly remembered = new Set<string>();
  private readonly storage: UserStorage;
  /** Run outputs of queued or running jobs: storage never deletes them. */
  private readonly activeOutputs = new Set<string>();
  /** Files registered for the map this session (display copies, outputs): the cache keeps them. */
  private readonly shownPaths = new Set<string>();
  private readonly runsDir: string;
  private readonly cacheDir: string;
  private readonly handlers: Handlers;

  constructor(private readonly options: AppCoreOptions) {
    this.runsDir = join(options.userDataDir, 'runs');
    this.cacheDir = join(options.userDataDir, 'cache');
    const sceneHint = options.mode === 'electron' ? 'open it with the Open dialog' : 'restart the host with --allow <its folder>';
    this.scenePaths = new PathAllowlist({ what: 'scene file', hint: sceneHint });
    const exportHint = options.mode === 'electron' ? 'choose it with the Save dialog' : "choose a path inside the host's --export-dir";
    this.exportPaths = new PathAllowlist({ what: 'export path', hint: exportHint });
    for (const p of options.allowScenePaths ?? []) this.allowSceneEntry(p);
    for (const d of options.exportDirs ?? []) this.exportPaths.allowFolder(d);
    this.recent = new RecentStore({ file: join(options.userDataDir, 'recent.json'), log: options.log });
    if (options.trustRecentScenes) {
      for (const s of this.recent.get().scenes) {
        this.scenePaths.allowFile(s.panPath);
        this.scenePaths.allowFile(s.msPath);
      }
    }
    this.storage = new UserStorage({ userDataDir: options.userDataDir, ...options.storage, log: options.log });
    this.housekeep('start-up sweep', () =>
      this.storage.sweep({ runs: this.recent.loadedFromFile ? this.recent.get().runs.map((r) => r.outPath) : null, inUse: [] }),
    );
    this.engine = new EngineClient({
      start: options.startEngine,
      onEvent: (event) => this.engineEvent(event),
      onRaster: (layerId, path) => {
        this.rasters.register(layerId, path);
        this.shownPaths.add(path);
        this.storage.touch(path);
      },
      log: options.log,
    });
    this.handlers = {
      appInfo: async () => ({ mode: options.mode, version: options.version, outputsBaseUrl: options.outputsBaseUrl, outputsQuery: options.outputsQuery }),
      methodsList: async () => unwrap(await this.engine.call('methodsList', {})),
      sceneChoose: (req) => this.sceneChoose(req.mode),
      sceneOpen: (req) => this.sceneOpen(req),
      sceneSetLayout: async (req) => unwrap(await this.engine.call('sceneSetLayout', req)),
      jobStart: (req) => this.jobStart(req),
      jobCancel: async (req) => unwrap(await this.engine.call('jobCancel', req)),
      jobList: () => this.jobList(),
      pixelRead: async (req) => unwrap(await this.engine.call('pixelRead', req)),
      metricsCompute: async (req) => unwrap(await this.engine.call('metricsCompute', req)),
      qualityMapCompute: async (req) => unwrap(await this.engine.call('qualityMapCompute', req)),
      recommendRun: async (req) => unwrap(await this.engine.call('recommendRun', req)),
      exportChoosePath: (req) => this.exportChoosePath(req.suggestedName),
      exportRun: (req) => this.exportRun(req),
      recentList: async () => this.recentList(),
      storageUsage: async () => this.storageUsage(),
      storageRemoveRun: async (req) => this.storageRemoveRun(req.outPath),
      storageClearCache: async () => {
        this.housekeep('clear cache', () => this.storage.clearCache(this.shownPaths));
        return this.storageUsage();
      },
    };
  }

  /**
   * One call from the renderer: the payload is parsed before anything else; every failure (contract, refusal,
   * engine error or crash) comes back as an error reply, never as a rejection.
   */
  async call(name: CallName, payload: unknown): Promise<Reply<unknown>> {
    try {
      const request = parseRequest(name, payload);
      // handlers[name] takes CallRequest<name>; TypeScript cannot correlate the generic key across the table.
      const handler = this.handlers[name] as (req: CallRequest<CallName>) => Promise<unknown>;
      return { ok: true, value: await handler(request) };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  }

  /** Subscribe to job events (all windows/sockets get all events); returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A registered raster by layerId, with HTTP Range; unknown layers are 404 like missing files. */
  rasterResponse(layerId: string | null, method: string, range: string | null | undefined): RasterResponse {
    return planRasterResponse({ path: layerId === null ? null : this.rasters.pathFor(layerId), method, range });
  }

  stop(): void {
    this.engine.stop();
  }

  /** A folder allows every file below it; a file only itself. */
  private allowSceneEntry(path: string): void {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      throw new InputError('allowed-path-missing', `allowed path ${path} does not exist; pass an existing file or folder`, { path });
    }
    if (isFolder) this.scenePaths.allowFolder(path);
    else this.scenePaths.allowFile(path);
  }

  private async sceneChoose(mode: 'files' | 'folder'): Promise<SceneFiles | null> {
    let files: SceneFiles | null;
    if (mode === 'files') {
      files = await this.options.chooser.chooseSceneFiles();
    } else {
      const folder = await this.options.chooser.chooseSceneFolder();
      files = folder === null ? null : pairSceneFolder(folder);
    }
    if (files === null) return null;
    this.scenePaths.allowFile(files.panPath);
    this.scenePaths.allowFile(files.msPath);
    return files;
  }

  private async sceneOpen(req: SceneFiles): Promise<CallValue<'sceneOpen'>> {
    const panPath = this.scenePaths.check(req.panPath);
    const msPath = this.scenePaths.check(req.msPath);
    const view = unwrap(await this.engine.call('sceneOpen', { panPath, msPath, cacheDir: this.cacheDir }));
    this.scenes.set(view.sceneId, { panPath, msPath });
    this.recent.addScene({ panPath, msPath });
    this.housekeep('cache cap', () => this.storage.enforceCacheCap(this.shownPaths));
    return view;
  }

  private async jobStart(req: CallRequest<'jobStart'>): Promise<JobSnapshot> {
    const scene = this.scenes.get(req.sceneId);
    if (!scene) throw new InputError(ErrorCode.unknownScene, `scene ${req.sceneId} is not open; open the scene first`, { sceneId: req.sceneId });
    mkdirSync(this.runsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const outPath = join(this.runsDir, `${stamp}-${safeToken(req.method)}-${req.sceneId}-${randomBytes(3).toString('hex')}.tif`);
    // Protected from the moment the path exists in anyone's mind, not only once the engine answers.
    this.activeOutputs.add(outPath);
    let snapshot: JobSnapshot;
    try {
      snapshot = unwrap(await this.engine.call('jobStart', { request: req, outPath }));
    } catch (err) {
      this.activeOutputs.delete(outPath);
      throw err;
    }
    this.jobs.set(snapshot.jobId, { method: req.method, panPath: scene.panPath, outPath });
    return snapshot;
  }

  /** The engine's jobs, plus jobs only the client still knows (lost in an engine crash, marked failed). */
  private async jobList(): Promise<JobSnapshot[]> {
    const live = unwrap(await this.engine.call('jobList', {}));
    const ids = new Set(live.map((j) => j.jobId));
    const lost = this.engine.jobSnapshots().filter((j) => !ids.has(j.jobId));
    return [...lost, ...live].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Recent scenes the renderer can open now (in the host, only those under --allow); runs as they were. */
  private recentList(): CallValue<'recentList'> {
    const state = this.recent.get();
    return { ...state, scenes: state.scenes.filter((s) => this.scenePaths.allows(s.panPath) && this.scenePaths.allows(s.msPath)) };
  }

  private storageUsage(): CallValue<'storageUsage'> {
    return this.storage.usage(this.recent.get().runs, this.activeOutputs);
  }

  /** The run's files and its recent entries; the layer stays registered but its file is gone (404 from then on). */
  private storageRemoveRun(outPath: string): CallValue<'storageRemoveRun'> {
    const removed = this.storage.removeRun(outPath, this.activeOutputs);
    const dropped = this.recent.removeRuns((run) => canonicalPath(run.outPath) === canonicalPath(outPath));
    this.logRemoved(`removed run ${outPath}${dropped > 0 ? '' : ' (not in the recent list)'}`, removed);
    return this.storageUsage();
  }

  /** Housekeeping never fails the call or the start-up that triggered it: a failure is logged. */
  private housekeep(what: string, sweep: () => RemovedFile[]): void {
    try {
      this.logRemoved(what, sweep());
    } catch (err) {
      this.options.log?.(`storage ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private logRemoved(what: string, removed: readonly RemovedFile[]): void {
    if (removed.length === 0) return;
    const mb = removed.reduce((sum, f) => sum + f.bytes, 0) / 1024 ** 2;
    const why = [...new Set(removed.map((f) => f.why))].join(', ');
    this.options.log?.(`storage ${what}: deleted ${removed.length} file(s), ${mb.toFixed(1)} MiB (${why})`);
  }

  private async exportChoosePath(suggestedName: string): Promise<string | null> {
    const path = await this.options.chooser.chooseExportPath(suggestedName);
    if (path === null) return null;
    this.exportPaths.allowFile(path);
    return path;
  }

  private async exportRun(req: CallRequest<'exportRun'>): Promise<CallValue<'exportRun'>> {
    const outPath = this.exportPaths.check(req.outPath);
    // The engine never overwrites; say so in the app's words (a save dialog may already have asked "replace?").
    if (existsSync(outPath))
      throw new OutputError('output-exists', `${outPath} already exists; exports never replace a file, choose another name`, { path: outPath });
    return unwrap(await this.engine.call('exportRun', { ...req, outPath }));
  }

  private engineEvent(event: JobEvent): void {
    if (event.type === 'state') {
      const info = this.jobs.get(event.job.jobId);
      if (info && FINAL_STATES.has(event.job.state)) this.activeOutputs.delete(info.outPath);
      this.rememberRun(event.job);
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.options.log?.(`a job event listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private rememberRun(job: JobSnapshot): void {
    const info = this.jobs.get(job.jobId);
    if (!info || this.remembered.has(job.jobId) || !FINAL_STATES.has(job.state)) return;
    this.remembered.add(job.jobId);
    this.recent.addRun({ method: info.method, panPath: info.panPath, outPath: info.outPath, state: job.state, elapsedMs: job.result?.elapsedMs ?? null });
  }
}
