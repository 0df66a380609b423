/**
 * @module preload/contract
 * The one contract between the renderer and everything behind it (Electron main, or the browser-mode host): call
 * names and channels, payload schemas, reply envelope, job events and error codes. Common code: it imports nothing,
 * so the sandboxed preload, the browser bridge, main, the host and the engine service can all parse with it.
 *
 * Each payload type is derived from a small runtime schema (`Infer<typeof X>`), so the parser and the type can
 * never disagree. Schemas copy only the fields they know: whatever else came across the process boundary is dropped.
 */

// ---------------------------------------------------------------------------------------------------------------
// Schema combinators (parsers that throw ContractError with the path, what was expected and what was got)

export type Schema<T> = (x: unknown, path: string) => T;
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** A payload that does not match the contract; `where` is the channel or field path. */
export class ContractError extends Error {
  readonly code = 'contract';
  constructor(
    readonly where: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${where}: expected ${expected}, got ${describeValue(got)}`);
    this.name = 'ContractError';
  }
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'string') return JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x);
  if (typeof x === 'object') return `an object with keys [${Object.keys(x).slice(0, 8).join(', ')}]`;
  return `${typeof x} ${String(x)}`;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export const str: Schema<string> = (x, p) => {
  if (typeof x !== 'string') throw new ContractError(p, 'a string', x);
  return x;
};
/** A non-empty string up to 4096 characters (ids, paths). */
export const text: Schema<string> = (x, p) => {
  if (typeof x !== 'string' || x.length === 0 || x.length > 4096) throw new ContractError(p, 'a non-empty string (≤ 4096 chars)', x);
  return x;
};
export const num: Schema<number> = (x, p) => {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ContractError(p, 'a finite number', x);
  return x;
};
export const int: Schema<number> = (x, p) => {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw new ContractError(p, 'an integer', x);
  return x;
};
export const bool: Schema<boolean> = (x, p) => {
  if (typeof x !== 'boolean') throw new ContractError(p, 'a boolean', x);
  return x;
};
export function literal<const L extends readonly string[]>(...values: L): Schema<L[number]> {
  return (x, p) => {
    if (typeof x !== 'string' || !values.includes(x)) throw new ContractError(p, `one of ${values.join('|')}`, x);
    return x;
  };
}
/** An optional flag: absent means `fallback` (older callers do not send it). */
export function flag(fallback: boolean): Schema<boolean> {
  return (x, p) => (x === undefined ? fallback : bool(x, p));
}
export function arr<T>(item: Schema<T>, maxLength = 100_000): Schema<T[]> {
  return (x, p) => {
    if (!Array.isArray(x) || x.length > maxLength) throw new ContractError(p, `an array (≤ ${maxLength} items)`, x);
    return x.map((v, i) => item(v, `${p}[${i}]`));
  };
}
export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return (x, p) => (x === null || x === undefined ? null : s(x, p));
}
export function ranged(s: Schema<number>, min: number, max: number): Schema<number> {
  return (x, p) => {
    const v = s(x, p);
    if (v < min || v > max) throw new ContractError(p, `a number in [${min}, ${max}]`, x);
    return v;
  };
}
export function obj<S extends Record<string, Schema<unknown>>>(shape: S): Schema<{ [K in keyof S]: Infer<S[K]> }> {
  return (x, p) => {
    if (!isRecord(x)) throw new ContractError(p, `an object {${Object.keys(shape).join(', ')}}`, x);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) out[key] = shape[key]!(x[key], `${p}.${key}`);
    // The mapped type is exactly what the loop built key by key; TypeScript cannot follow a loop over keys.
    return out as { [K in keyof S]: Infer<S[K]> };
  };
}
/** A union tagged by `type`. */
export function tagged<S extends Record<string, Schema<unknown>>>(cases: S): Schema<Infer<S[keyof S]>> {
  return (x, p) => {
    if (!isRecord(x) || typeof x.type !== 'string' || !(x.type in cases)) throw new ContractError(p, `an object with type ${Object.keys(cases).join('|')}`, x);
    return cases[x.type]!(x, p) as Infer<S[keyof S]>;
  };
}
function withType<const T extends string, S extends Record<string, Schema<unknown>>>(type: T, shape: S) {
  return obj({ type: literal(type), ...shape });
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads

/** [minX, minY, maxX, maxY] in the scene's CRS. */
export const Extent = (x: unknown, p: string): [number, number, number, number] => {
  const a = arr(num, 4)(x, p);
  if (a.length !== 4 || a[0]! >= a[2]! || a[1]! >= a[3]!) throw new ContractError(p, '[minX, minY, maxX, maxY] with min < max', x);
  return [a[0]!, a[1]!, a[2]!, a[3]!];
};
export type Extent = Infer<typeof Extent>;

export const Empty = obj({});
export type Empty = Infer<typeof Empty>;

export const AppInfo = obj({
  mode: literal('electron', 'browser'),
  version: str,
  /** Rasters are read at `${outputsBaseUrl}${layerId}.tif${outputsQuery}` (HTTP Range supported). */
  outputsBaseUrl: str,
  outputsQuery: str,
});
export type AppInfo = Infer<typeof AppInfo>;

export const MethodSummary = obj({ id: text, kind: literal('classical', 'network'), label: str, description: str });
export type MethodSummary = Infer<typeof MethodSummary>;

export const SceneFiles = obj({ panPath: text, msPath: text });
export type SceneFiles = Infer<typeof SceneFiles>;

export const SceneChooseRequest = obj({ mode: literal('files', 'folder') });
export type SceneChooseRequest = Infer<typeof SceneChooseRequest>;

export const BandStats = obj({ p2: num, p98: num, min: num, max: num });
export type BandStats = Infer<typeof BandStats>;

/** A raster the map can show: read from `AppInfo.outputsBaseUrl` by its layerId. */
export const RasterLayer = obj({
  layerId: text,
  kind: literal('pan', 'ms', 'output', 'quality'),
  name: str,
  bandCount: int,
  bandDescriptions: arr(str),
  dataType: str,
  extent: Extent,
  width: int,
  height: int,
  /** Per band, 2–98 % percentiles and range, from a decimated read of the whole raster. */
  stats: arr(BandStats),
  noData: nullable(num),
});
export type RasterLayer = Infer<typeof RasterLayer>;

/** Sensor and MS band names of a scene: where each came from, and what the user may choose from. */
export const SceneLayout = obj({
  /** For MTF gains (metrics, MTF-GLP); null = unknown (generic gains). */
  sensor: nullable(str),
  sensorSource: literal('metadata', 'user', 'none'),
  /** One per MS band, file order. */
  bandNames: arr(str, 256),
  bandSource: literal('descriptions', 'color-interp', 'band-count', 'user', 'none'),
  /** The names are inferred (ColorInterp or band count): shown as a guess. */
  bandsGuessed: bool,
  presets: arr(obj({ id: text, label: str, sensor: nullable(str), bands: arr(str, 256) }), 64),
  sensors: arr(str, 64),
});
export type SceneLayout = Infer<typeof SceneLayout>;

/** Sets a scene's sensor (null = as the metadata says) and band names (empty = as inferred). */
export const SceneLayoutRequest = obj({ sceneId: text, sensor: nullable(str), bandNames: arr(text, 256) });
export type SceneLayoutRequest = Infer<typeof SceneLayoutRequest>;

export const SceneView = obj({
  sceneId: text,
  files: SceneFiles,
  sensor: nullable(str),
  ratio: num,
  crsName: str,
  /** e.g. "EPSG:32618"; the renderer registers `crsProj4` under it (or under "PANFORGE:<sceneId>" when null). */
  crsCode: nullable(str),
  crsProj4: str,
  extent: Extent,
  /** 'degree' = a geographic CRS: the extent and pixel size are in degrees of longitude/latitude. */
  crsUnits: literal('metre', 'degree', 'other'),
  /** PAN pixel width in the CRS's units (degrees for a geographic CRS). */
  panPixelSize: num,
  /** PAN pixel size on the ground in metres [x, y], at the scene's centre for a geographic CRS. */
  panGroundPixelM: arr(num, 2),
  valueMax: num,
  /** What the values are, for labels: "11-bit DN", or "float reflectance" (no DN axis for those). */
  valueLabel: str,
  layout: SceneLayout,
  /** Whether the CUDA device can be chosen on this machine, and why not (the runs panel disables it then). */
  cuda: obj({ available: bool, why: str }),
  notes: arr(str),
  methods: arr(obj({ id: text, fits: bool, why: str })),
  layers: arr(RasterLayer),
});
export type SceneView = Infer<typeof SceneView>;

export const JobStartRequest = obj({
  sceneId: text,
  method: text,
  device: literal('auto', 'cpu', 'cuda'),
  tileSizePx: ranged(int, 64, 4096),
  /** A quick run on this part of the scene (usually the current view); null = full scene. */
  previewExtent: nullable(Extent),
  /** Adapt the method to the scene first (fitted on its Wald-degraded copy, kept only if held-back windows improve). */
  adapt: flag(false),
});
export type JobStartRequest = Infer<typeof JobStartRequest>;

export const JobRef = obj({ jobId: text });
export type JobRef = Infer<typeof JobRef>;

export const JobProgress = obj({
  stage: str,
  tilesDone: int,
  tilesTotal: int,
  megapixelsDone: num,
  megapixelsTotal: num,
  megapixelsPerSecond: num,
  etaSeconds: nullable(num),
  elapsedMs: num,
});
export type JobProgress = Infer<typeof JobProgress>;

const details: Schema<Record<string, unknown>> = (x, p) => {
  if (x === undefined || x === null) return {};
  if (!isRecord(x)) throw new ContractError(p, 'an object', x);
  return { ...x };
};
export const WireError = obj({ code: str, message: str, details });
export type WireError = Infer<typeof WireError>;

export const JobResult = obj({
  layer: RasterLayer,
  /** The device that made the last tiles ('cuda', 'cpu'; 'js' for the TypeScript baselines). */
  device: str,
  /** Why that device: 'CPU requested', or what `auto` found ("no NVIDIA GPU visible; using CPU"). */
  deviceReason: str,
  /** What changed during the run, in order ("CUDA failed on a batch of 4 tiles …; retrying with batches of 2"). */
  deviceEvents: arr(str, 64),
  modelName: nullable(str),
  elapsedMs: num,
  megapixelsPerSecond: num,
  tiles: int,
  tileSizePx: int,
  width: int,
  height: int,
  dataType: str,
  /** The adaptation decision when the run asked for one: applied (`kind` of correction) or declined by the guard. */
  adaptation: nullable(obj({ accepted: bool, kind: nullable(str), message: str })),
});
export type JobResult = Infer<typeof JobResult>;

export const JobState = literal('queued', 'running', 'done', 'failed', 'cancelled');
export type JobState = Infer<typeof JobState>;

export const JobSnapshot = obj({
  jobId: text,
  sceneId: text,
  method: text,
  device: str,
  tileSizePx: int,
  previewExtent: nullable(Extent),
  adapt: flag(false),
  state: JobState,
  progress: nullable(JobProgress),
  error: nullable(WireError),
  result: nullable(JobResult),
  createdAt: str,
});
export type JobSnapshot = Infer<typeof JobSnapshot>;

/** Pushed to the renderer: `onJobEvent`. */
export const JobEvent = tagged({
  state: withType('state', { job: JobSnapshot }),
  progress: withType('progress', { jobId: text, progress: JobProgress }),
  log: withType('log', { jobId: text, message: str }),
});
export type JobEvent = Infer<typeof JobEvent>;

export const PixelReadRequest = obj({ x: num, y: num, layerIds: arr(text, 64) });
export type PixelReadRequest = Infer<typeof PixelReadRequest>;

export const PixelReading = obj({
  x: num,
  y: num,
  /** values: one per band, null where outside the raster; a band value is null where it is nodata. */
  layers: arr(obj({ layerId: text, values: nullable(arr(nullable(num))) })),
});
export type PixelReading = Infer<typeof PixelReading>;

export const MetricIndex = obj({ name: str, value: num, better: literal('higher', 'lower'), ideal: num });
export type MetricIndex = Infer<typeof MetricIndex>;

export const MetricsReport = obj({
  jobId: text,
  /** 'pending' while the engine has no quality indices (nothing is made up). */
  status: literal('ok', 'pending', 'failed'),
  protocol: str,
  note: str,
  /** The PAN-pixel window the indices were measured on, and the size of the run output it lies in (a preview's
   * output is small); null when nothing was measured. */
  window: nullable(obj({ width: int, height: int, outputWidth: int, outputHeight: int })),
  indices: arr(MetricIndex),
  elapsedMs: num,
});
export type MetricsReport = Infer<typeof MetricsReport>;

/** "Which method is best here?": the self-check on the open scene. */
export const RecommendRequest = obj({
  sceneId: text,
  /** Which windows are drawn; the same seed gives the same ranking [null = 1]. */
  seed: nullable(ranged(int, 0, 4294967295)),
});
export type RecommendRequest = Infer<typeof RecommendRequest>;

export const FullResolutionScores = obj({ D_lambda: num, D_s: num, QNR: num, D_lambda_K: num, HQNR: num });
export type FullResolutionScores = Infer<typeof FullResolutionScores>;

export const RankedMethod = obj({
  rank: ranged(int, 1, 1000),
  /** "premix" or "premix --adapt". */
  name: text,
  /** A method id jobStart accepts. */
  method: text,
  adapt: bool,
  label: str,
  kind: literal('classical', 'network'),
  sam: num,
  ergas: num,
  /** null when no block could be scored. */
  q2n: nullable(num),
  adaptation: nullable(obj({ accepted: bool, kind: nullable(str), message: str })),
  /** For the top few only. */
  fullResolution: nullable(FullResolutionScores),
});
export type RankedMethod = Infer<typeof RankedMethod>;

export const RecommendReport = obj({
  sceneId: text,
  recommended: obj({ method: text, adapt: bool, name: text }),
  ranking: arr(RankedMethod, 1000),
  skipped: arr(obj({ method: str, reason: str }), 1000),
  seed: int,
  sensor: obj({ name: nullable(str), source: str, warning: nullable(str) }),
  windows: obj({ sidePx: int, contextPx: int, fit: int, guard: int, candidates: int }),
  elapsedMs: num,
});
export type RecommendReport = Infer<typeof RecommendReport>;

export const ExportChoosePathRequest = obj({ suggestedName: text });
export type ExportChoosePathRequest = Infer<typeof ExportChoosePathRequest>;

export const ExportRequest = obj({
  layerId: text,
  outPath: text,
  format: literal('GTiff', 'COG'),
  dataType: literal('source', 'Byte', 'UInt16', 'Int16', 'Float32'),
  compression: literal('NONE', 'DEFLATE', 'LZW', 'ZSTD'),
  /** 0-based band indexes, in output order; empty = every band. */
  bandIndexes: arr(ranged(int, 0, 1023), 1024),
  /** Crop to this extent (current view), null = full raster. */
  extent: nullable(Extent),
});
export type ExportRequest = Infer<typeof ExportRequest>;

export const ExportResult = obj({ path: text, width: int, height: int, bandCount: int, dataType: str, format: str, sizeBytes: int, elapsedMs: num });
export type ExportResult = Infer<typeof ExportResult>;

export const RecentState = obj({
  scenes: arr(obj({ panPath: text, msPath: text, openedAt: str })),
  runs: arr(obj({ method: str, panPath: str, outPath: str, state: str, elapsedMs: nullable(num), finishedAt: str })),
});
export type RecentState = Infer<typeof RecentState>;

/** A recent run as it sits in `<user-data>/runs/`: its output and the files made beside it (quality map). */
export const StoredRun = obj({
  outPath: text,
  method: str,
  /** The run's scene (its PAN file); '' when unknown. */
  panPath: str,
  state: str,
  finishedAt: str,
  /** Its files together, 0 when none is left. */
  sizeBytes: int,
  /** A job of this session still writes it: it cannot be removed now. */
  inUse: bool,
});
export type StoredRun = Infer<typeof StoredRun>;

/** What the app keeps in the user-data folder, and the limits its housekeeping applies. */
export const StorageUsage = obj({
  /** Every file in runs/ (listed runs, runs being written, anything else). */
  runsBytes: int,
  cacheBytes: int,
  cacheFiles: int,
  /** Display copies beyond this total are deleted, least recently used first. */
  cacheMaxBytes: int,
  /** Display copies not used for this many days are deleted at start-up. */
  cacheMaxAgeDays: num,
  /** The recent runs (recentList's order), with their size on disk. */
  runs: arr(StoredRun, 1000),
});
export type StorageUsage = Infer<typeof StorageUsage>;

/** A run to remove: its output path as listed in StorageUsage.runs (must lie in `<user-data>/runs/`). */
export const StorageRemoveRunRequest = obj({ outPath: text });
export type StorageRemoveRunRequest = Infer<typeof StorageRemoveRunRequest>;

// ---------------------------------------------------------------------------------------------------------------
// Calls: one request object in, one reply out

/** Stable error codes besides the engine's own (InputError etc. keep theirs). */
export const ErrorCode = {
  contract: 'contract',
  internal: 'internal',
  forbiddenSender: 'forbidden-sender',
  notAllowed: 'path-not-allowed',
  engineCrashed: 'engine-crashed',
  unknownScene: 'unknown-scene',
  unknownJob: 'unknown-job',
  unknownLayer: 'unknown-layer',
  /** A run a job of this session still writes. */
  runInUse: 'run-in-use',
  cancelled: 'cancelled',
} as const;

function call<Req, Res>(channel: string, request: Schema<Req>, reply: Schema<Res>) {
  return { channel, request, reply };
}

export const Calls = {
  appInfo: call('panforge:app.info', Empty, AppInfo),
  methodsList: call('panforge:methods.list', Empty, arr(MethodSummary)),
  sceneChoose: call('panforge:scene.choose', SceneChooseRequest, nullable(SceneFiles)),
  sceneOpen: call('panforge:scene.open', SceneFiles, SceneView),
  /** The scene's sensor and band names as the user sets them (Scene panel); runs, metrics and exports follow. */
  sceneSetLayout: call('panforge:scene.setLayout', SceneLayoutRequest, SceneView),
  jobStart: call('panforge:job.start', JobStartRequest, JobSnapshot),
  jobCancel: call('panforge:job.cancel', JobRef, JobSnapshot),
  jobList: call('panforge:job.list', Empty, arr(JobSnapshot)),
  pixelRead: call('panforge:pixel.read', PixelReadRequest, PixelReading),
  metricsCompute: call('panforge:metrics.compute', JobRef, MetricsReport),
  /** The run's spectral distortion map (kind 'quality', one band, degrees), made once per run. */
  qualityMapCompute: call('panforge:quality-map.compute', JobRef, RasterLayer),
  /** Ranks every method (networks with and without adaptation, baselines) on the scene's degraded copy. */
  recommendRun: call('panforge:recommend.run', RecommendRequest, RecommendReport),
  exportChoosePath: call('panforge:export.choosePath', ExportChoosePathRequest, nullable(text)),
  exportRun: call('panforge:export.run', ExportRequest, ExportResult),
  recentList: call('panforge:recent.list', Empty, RecentState),
  storageUsage: call('panforge:storage.usage', Empty, StorageUsage),
  /** Deletes the run's files and its recent entry; refused while a job writes it. Replies with the new usage. */
  storageRemoveRun: call('panforge:storage.removeRun', StorageRemoveRunRequest, StorageUsage),
  /** Deletes every display copy not shown in this session (they are remade when a scene is opened again). */
  storageClearCache: call('panforge:storage.clearCache', Empty, StorageUsage),
};
export type Calls = typeof Calls;
export type CallName = keyof Calls;
export type CallRequest<K extends CallName> = Infer<Calls[K]['request']>;
export type CallValue<K extends CallName> = Infer<Calls[K]['reply']>;

export const CALL_NAMES = Object.keys(Calls) as CallName[];

/** Channels of pushed events (main → renderer). */
export const EventChannel = { jobEvent: 'panforge:job.event' } as const;

/** Every reply, over IPC, WebSocket and the engine pipe. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function parseReply<T>(value: Schema<T>, x: unknown, where: string): Reply<T> {
  if (!isRecord(x) || typeof x.ok !== 'boolean') throw new ContractError(where, '{ok: true, value} | {ok: false, error}', x);
  return x.ok ? { ok: true, value: value(x.value, `${where}.value`) } : { ok: false, error: WireError(x.error, `${where}.error`) };
}

export function parseRequest<K extends CallName>(name: K, x: unknown): CallRequest<K> {
  // Calls[K]['request'] is Schema<CallRequest<K>>; indexing a const table by a generic key loses that link.
  return (Calls[name].request as Schema<CallRequest<K>>)(x, Calls[name].channel);
}

export function parseValue<K extends CallName>(name: K, x: unknown): CallValue<K> {
  return (Calls[name].reply as Schema<CallValue<K>>)(x, `${Calls[name].channel} reply`);
}

export function isCallName(x: unknown): x is CallName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(Calls, x);
}

/** Any thrown value as a wire error: ContractError and errors with a string `code` keep it, the rest are internal. */
export function toWireError(err: unknown): WireError {
  if (isRecord(err) && typeof err.code === 'string' && typeof err.message === 'string') {
    return { code: err.code, message: err.message, details: isRecord(err.details) ? { ...err.details } : {} };
  }
  if (err instanceof Error) return { code: ErrorCode.internal, message: err.message, details: {} };
  return { code: ErrorCode.internal, message: String(err), details: {} };
}

/** What the renderer codes against: `window.panforge` (Electron preload or browser bridge). Never rejects. */
export type PanForgeApi = { readonly [K in CallName]: (request: CallRequest<K>) => Promise<Reply<CallValue<K>>> } & {
  /** Subscribe to job events; returns the unsubscribe function. */
  readonly onJobEvent: (listener: (event: JobEvent) => void) => () => void;
};
