/**
 * @module main/engine/service/engine-service
 * The engine as a long-lived service: open scenes (with display copies and stretch statistics), a job queue that
 * runs one sharpen job at a time with progress and cancel, pixel reads, quality indices and export. It knows
 * nothing of its transport: `entry.ts` wires it to a parent process. Jobs belong to the service, not to any
 * window, so a renderer that reloads asks `jobList` and finds them still running.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type {
  ExportRequest,
  ExportResult,
  JobEvent,
  JobProgress,
  JobSnapshot,
  MethodSummary,
  MetricsReport,
  PixelReadRequest,
  PixelReading,
  RasterLayer,
  RecommendReport,
  SceneView,
} from '../../../preload/contract.ts';
import { CancelledError, describeError, InputError } from '../errors.ts';
import { knownSensors } from '../dsp/sensor-mtf.ts';
import { applyBandLayout, BAND_PRESETS, inferBandLayout, type BandLayout, type BandLayoutOverride } from '../io/band-layout.ts';
import type { SceneFiles } from '../io/open-scene.ts';
import { openRaster, readRasterInfo } from '../io/raster-info.ts';
import { cudaAvailability } from '../infer/ort-session.ts';
import { describeScene, type SceneReport } from '../jobs/scene-report.ts';
import { sharpen, type SharpenOptions, type SharpenResult } from '../jobs/sharpen.ts';
import { listMethods } from '../methods/registry.ts';
import { extentOf, type GeoTransform } from '../raster/geo-transform.ts';
import { rasterStretch } from '../raster-stats/band-stretch.ts';
import { pixelValues } from '../raster-stats/pixel-values.ts';
import { ensureDisplayCog } from '../write/display-cog.ts';
import { exportRaster } from '../write/export-raster.ts';
import { partialPathFor } from '../write/output-path.ts';
import type { CallContext } from '../rpc/rpc-server.ts';
import { computeRunMetrics } from './run-metrics.ts';
import { runRecommend } from './run-recommend.ts';
import { writeRunQualityMap } from './run-quality-map.ts';
import type { ServiceRequest, ServiceValue } from './protocol.ts';

export interface EngineServiceSink {
  event(event: JobEvent): void;
  /** A raster the app side may serve to the renderer. */
  raster(layerId: string, path: string): void;
}

interface OpenScene {
  view: SceneView;
  readonly report: SceneReport;
  /** The user's sensor/band names (sceneSetLayout); runs, metrics and maps open the scene with it. */
  override: BandLayoutOverride | null;
}

interface JobRecord {
  snapshot: JobSnapshot;
  readonly outPath: string;
  readonly abort: AbortController;
}

interface LayerRecord {
  readonly path: string;
  readonly sceneId: string;
  readonly layer: RasterLayer;
}

async function rasterLayer(path: string, fields: Pick<RasterLayer, 'layerId' | 'kind' | 'name'>): Promise<RasterLayer> {
  const ds = await openRaster(path, fields.kind);
  let base: Omit<RasterLayer, 'stats' | 'layerId' | 'kind' | 'name'>;
  try {
    const gt = ds.geoTransform;
    if (!gt) throw new InputError('not-georeferenced', `${path} has no geotransform; the map cannot place it`, { path });
    const band1 = ds.bands.get(1);
    base = {
      bandCount: ds.bands.count(),
      bandDescriptions: Array.from({ length: ds.bands.count() }, (_, i) => ds.bands.get(i + 1).description),
      dataType: band1.dataType ?? 'Unknown',
      extent: extentOf(gt as unknown as GeoTransform, ds.rasterSize.x, ds.rasterSize.y),
      width: ds.rasterSize.x,
      height: ds.rasterSize.y,
      // NaN nodata (quality maps) cannot cross the contract, which holds finite numbers; readers find it in the file.
      noData: band1.noDataValue !== null && Number.isFinite(band1.noDataValue) ? band1.noDataValue : null,
    };
  } finally {
    ds.close();
  }
  return { ...fields, ...base, stats: await rasterStretch({ path }) };
}

/** "11-bit DN" for integer data; float data are reflectance (≤ 1) or values in their own unit, never DN. */
function valueLabel(report: SceneReport): string {
  const vs = report.valueScale;
  if (/^Float/.test(report.ms.dataType)) return vs.bitDepth === null ? 'float reflectance' : `float (${vs.bitDepth}-bit range)`;
  return vs.bitDepth === null ? report.ms.dataType : `${vs.bitDepth}-bit DN`;
}

/** The PAN pixel window covering a map extent, clipped to the PAN raster. */
function panWindowFor(report: SceneReport, extent: readonly [number, number, number, number]) {
  const [x0, , , y1] = report.pan.extent!;
  const [px, py] = report.pan.pixelSize!;
  const colOff = Math.max(0, Math.floor((extent[0] - x0) / px));
  const rowOff = Math.max(0, Math.floor((y1 - extent[3]) / py));
  const colEnd = Math.min(report.pan.width, Math.ceil((extent[2] - x0) / px));
  const rowEnd = Math.min(report.pan.height, Math.ceil((y1 - extent[1]) / py));
  if (colEnd <= colOff || rowEnd <= rowOff) {
    throw new InputError(
      'preview-outside',
      `preview extent [${extent.join(', ')}] does not overlap the scene [${report.pan.extent!.join(', ')}]; zoom to the scene first`,
      {
        got: extent,
        expected: report.pan.extent,
      },
    );
  }
  return { colOff, rowOff, width: colEnd - colOff, height: rowEnd - rowOff };
}

export class EngineService {
  private readonly scenes = new Map<string, OpenScene>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly layers = new Map<string, LayerRecord>();
  private readonly queue: string[] = [];
  private running = false;
  private jobCounter = 0;
  /** Outputs being written now (app jobs and CLI runs): their partial files are ours. */
  private readonly writing = new Set<string>();

  constructor(private readonly sink: EngineServiceSink) {}

  async methodsList(): Promise<MethodSummary[]> {
    return listMethods().map((m) => ({ id: m.id, kind: m.kind, label: m.label, description: m.description }));
  }

  async sceneOpen(req: ServiceRequest<'sceneOpen'>): Promise<SceneView> {
    const sceneId = `s${createHash('sha1').update(`${req.panPath}\n${req.msPath}`).digest('hex').slice(0, 10)}`;
    const known = this.scenes.get(sceneId);
    if (known) return known.view;
    const report = await describeScene({ panPath: req.panPath, msPath: req.msPath });
    const layers: RasterLayer[] = [];
    for (const [kind, path, name] of [
      ['pan', req.panPath, `PAN · ${basename(req.panPath)}`],
      ['ms', req.msPath, `MS · ${basename(req.msPath)}`],
    ] as const) {
      const display = await ensureDisplayCog({ sourcePath: path, cacheDir: req.cacheDir });
      const layer = await rasterLayer(display, { layerId: `${sceneId}-${kind}`, kind, name });
      this.layers.set(layer.layerId, { path: display, sceneId, layer });
      this.sink.raster(layer.layerId, display);
      layers.push(layer);
    }
    const layout = this.layoutView(report.layout);
    // The MS layer shows the scene's band names (read, guessed or chosen): true colour follows them.
    for (const layer of layers) if (layer.kind === 'ms') Object.assign(layer, { bandDescriptions: [...layout.bandNames] });
    const view: SceneView = {
      sceneId,
      files: { panPath: req.panPath, msPath: req.msPath },
      sensor: report.sensor,
      ratio: report.ratio,
      crsName: report.pan.crs ?? 'unknown',
      crsCode: report.pan.crsCode,
      crsProj4: report.crsProj4,
      extent: [...report.pan.extent!],
      crsUnits: report.pan.crsUnits ?? 'other',
      panPixelSize: report.pan.pixelSize![0],
      panGroundPixelM: [...(report.pan.groundPixelM ?? report.pan.pixelSize!)],
      valueMax: report.valueScale.valueMax,
      valueLabel: valueLabel(report),
      layout,
      cuda: cudaAvailability(),
      notes: [...report.notes],
      methods: report.methods.map((m) => ({ ...m })),
      layers,
    };
    this.scenes.set(sceneId, { view, report, override: null });
    return view;
  }

  /**
   * Sets the scene's sensor and band names. Checked against the MS now (one name per band); the scene's layers and
   * its finished runs' layers take the names (what the renderer's true colour and exports follow), later runs,
   * metrics and maps use the sensor. Runs already written keep the band descriptions in their files.
   */
  async sceneSetLayout(req: ServiceRequest<'sceneSetLayout'>): Promise<SceneView> {
    const scene = this.scenes.get(req.sceneId);
    if (!scene)
      throw new InputError('unknown-scene', `scene ${req.sceneId} is not open in the engine (it may have restarted); open the scene again`, {
        sceneId: req.sceneId,
      });
    const override: BandLayoutOverride = { sensor: req.sensor, bands: req.bandNames.length ? req.bandNames : null };
    const base = inferBandLayout(await readRasterInfo(scene.view.files.msPath, 'MS'), await readRasterInfo(scene.view.files.panPath, 'PAN'));
    const layout = applyBandLayout(base, override, { path: scene.view.files.msPath, bandCount: scene.report.ms.bandCount });
    scene.override = override;
    const names = [...layout.bandNames];
    for (const record of this.layers.values()) {
      if (record.sceneId === req.sceneId && (record.layer.kind === 'ms' || record.layer.kind === 'output') && record.layer.bandCount === names.length)
        Object.assign(record.layer, { bandDescriptions: names });
    }
    const notes = scene.view.notes.filter((n) => !n.startsWith('MS band names guessed'));
    scene.view = {
      ...scene.view,
      sensor: layout.sensor,
      layout: this.layoutView(layout),
      notes,
      layers: scene.view.layers.map((l) => (l.kind === 'ms' ? { ...l, bandDescriptions: names } : l)),
    };
    return scene.view;
  }

  private layoutView(layout: BandLayout): SceneView['layout'] {
    const sensors = [...new Set([...knownSensors(), ...BAND_PRESETS.flatMap((p) => (p.sensor ? [p.sensor] : []))])];
    return { ...layout, bandNames: [...layout.bandNames], presets: BAND_PRESETS.map((p) => ({ ...p, bands: [...p.bands] })), sensors };
  }

  /** The scene's effective sensor (the user's choice, else the metadata's). */
  private sensorOf(scene: OpenScene): string | null {
    return scene.view.layout.sensor;
  }

  async jobStart(req: ServiceRequest<'jobStart'>): Promise<JobSnapshot> {
    const { request } = req;
    const scene = this.scenes.get(request.sceneId);
    if (!scene)
      throw new InputError('unknown-scene', `scene ${request.sceneId} is not open in the engine (it may have restarted); open the scene again`, {
        sceneId: request.sceneId,
      });
    if (request.previewExtent) panWindowFor(scene.report, request.previewExtent); // fail now, not in the queue
    const jobId = `j${++this.jobCounter}-${Date.now().toString(36)}`;
    const snapshot: JobSnapshot = {
      jobId,
      sceneId: request.sceneId,
      method: request.method,
      device: request.device,
      tileSizePx: request.tileSizePx,
      previewExtent: request.previewExtent,
      adapt: request.adapt,
      state: 'queued',
      progress: null,
      error: null,
      result: null,
      createdAt: new Date().toISOString(),
    };
    this.jobs.set(jobId, { snapshot, outPath: req.outPath, abort: new AbortController() });
    this.queue.push(jobId);
    this.sink.event({ type: 'state', job: snapshot });
    void this.pump();
    return snapshot;
  }

  async jobCancel(req: ServiceRequest<'jobCancel'>): Promise<JobSnapshot> {
    const job = this.requireJob(req.jobId);
    if (job.snapshot.state === 'queued') {
      this.queue.splice(this.queue.indexOf(req.jobId), 1);
      this.update(job, { state: 'cancelled', error: describeError(new CancelledError('cancelled before it started')) });
    } else if (job.snapshot.state === 'running') {
      job.abort.abort();
    }
    return job.snapshot;
  }

  async jobList(): Promise<JobSnapshot[]> {
    return [...this.jobs.values()].map((j) => j.snapshot);
  }

  async pixelRead(req: PixelReadRequest): Promise<PixelReading> {
    const layers = [];
    for (const layerId of req.layerIds) {
      const record = this.requireLayer(layerId);
      layers.push({ layerId, values: await pixelValues({ path: record.path, x: req.x, y: req.y }) });
    }
    return { x: req.x, y: req.y, layers };
  }

  async metricsCompute(req: ServiceRequest<'metricsCompute'>): Promise<MetricsReport> {
    const job = this.requireJob(req.jobId);
    const scene = this.scenes.get(job.snapshot.sceneId);
    if (job.snapshot.state !== 'done' || !scene) {
      throw new InputError('job-not-done', `metrics need a finished run; job ${req.jobId} is ${job.snapshot.state}`, {
        jobId: req.jobId,
        state: job.snapshot.state,
      });
    }
    return computeRunMetrics({ jobId: req.jobId, fusedPath: job.outPath, files: this.filesOf(scene), sensor: this.sensorOf(scene) });
  }

  /**
   * The run's spectral distortion map, written beside its output and registered like outputs are (served only from
   * then on); a second call returns the same layer.
   */
  async qualityMapCompute(req: ServiceRequest<'qualityMapCompute'>): Promise<RasterLayer> {
    const job = this.requireJob(req.jobId);
    const scene = this.scenes.get(job.snapshot.sceneId);
    if (job.snapshot.state !== 'done' || !scene) {
      throw new InputError('job-not-done', `a quality map needs a finished run; job ${req.jobId} is ${job.snapshot.state}`, {
        jobId: req.jobId,
        state: job.snapshot.state,
      });
    }
    const layerId = `${req.jobId}-sam-ms`;
    const known = this.layers.get(layerId);
    if (known) return known.layer;
    const path = join(dirname(job.outPath), `${basename(job.outPath).replace(/\.tiff?$/i, '')}.sam-ms.tif`);
    await writeRunQualityMap({ fusedPath: job.outPath, files: this.filesOf(scene), sensor: this.sensorOf(scene), outPath: path });
    const name = `Spectral distortion (SAM to MS, °) · ${job.snapshot.result?.layer.name ?? job.snapshot.method}`;
    const layer = await rasterLayer(path, { layerId, kind: 'quality', name });
    this.layers.set(layerId, { path, sceneId: job.snapshot.sceneId, layer });
    this.sink.raster(layerId, path);
    return layer;
  }

  /** The self-check on an open scene (not queued behind sharpening jobs: it works on a small sample). */
  async recommendRun(req: ServiceRequest<'recommendRun'>): Promise<RecommendReport> {
    const scene = this.scenes.get(req.sceneId);
    if (!scene)
      throw new InputError('unknown-scene', `scene ${req.sceneId} is not open in the engine (it may have restarted); open the scene again`, {
        sceneId: req.sceneId,
      });
    return runRecommend({ sceneId: req.sceneId, panPath: scene.view.files.panPath, msPath: scene.view.files.msPath, seed: req.seed ?? 1 });
  }

  async exportRun(req: ExportRequest): Promise<ExportResult> {
    const record = this.requireLayer(req.layerId);
    const valueMax = this.scenes.get(record.sceneId)?.view.valueMax ?? null;
    return exportRaster({
      sourcePath: record.path,
      outPath: req.outPath,
      format: req.format,
      dataType: req.dataType,
      compression: req.compression,
      bandIndexes: req.bandIndexes,
      extent: req.extent,
      byteScaleMax: valueMax,
      // Byte keeps what the map shows: each band's 2–98 % display stretch (quality maps: their 0–p98 ramp range).
      byteRanges: record.layer.stats.map((b): [number, number] => (record.layer.kind === 'quality' ? [0, b.p98] : [b.p2, b.p98])),
    });
  }

  /**
   * The CLI's sharpen, outside the job queue (the CLI starts one engine per run): the call's signal cancels it and
   * its events go out as the call's progress.
   */
  async sharpenRun(options: SharpenOptions, ctx: CallContext): Promise<SharpenResult> {
    return this.writingTo(options.outPath, () => sharpen(options, { signal: ctx.signal, onEvent: ctx.progress }));
  }

  /** Dispatch by name (the transport's entry point); replies are plain data in the contract's shapes. */
  async call<K extends keyof ServiceMethodsImpl>(method: K, payload: ServiceRequest<K>, ctx: CallContext): Promise<ServiceValue<K>> {
    // Typed through the implementation table so a missing method is a compile error, not a runtime one.
    const fn = (this as ServiceMethodsImpl)[method] as (p: ServiceRequest<K>, c: CallContext) => Promise<ServiceValue<K>>;
    return fn.call(this, payload, ctx);
  }

  /** Cancels every queued and running job (the app side is gone). */
  abortAll(): void {
    this.queue.length = 0;
    for (const job of this.jobs.values()) job.abort.abort();
  }

  /** Removes the partial files of every output being written (last resort when the process must exit now). */
  removePartials(): void {
    for (const outPath of this.writing) {
      for (const suffix of ['partial', 'partial-cog']) rmSync(partialPathFor(outPath, suffix), { force: true });
    }
  }

  private async writingTo<T>(outPath: string, write: () => Promise<T>): Promise<T> {
    this.writing.add(outPath);
    try {
      return await write();
    } finally {
      this.writing.delete(outPath);
    }
  }

  /** The scene's files with the user's layout: metrics and maps open the scene as its runs did. */
  private filesOf(scene: OpenScene): SceneFiles {
    return { ...scene.view.files, ...(scene.override ? { layout: scene.override } : {}) };
  }

  private requireJob(jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job) throw new InputError('unknown-job', `no job ${jobId} in this engine session`, { jobId });
    return job;
  }

  private requireLayer(layerId: string): LayerRecord {
    const layer = this.layers.get(layerId);
    if (!layer) throw new InputError('unknown-layer', `no layer ${layerId} in this engine session; open the scene again`, { layerId });
    return layer;
  }

  private update(job: JobRecord, patch: Partial<JobSnapshot>): void {
    job.snapshot = { ...job.snapshot, ...patch };
    this.sink.event({ type: 'state', job: job.snapshot });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let jobId = this.queue.shift(); jobId !== undefined; jobId = this.queue.shift()) {
        const job = this.jobs.get(jobId);
        if (job) await this.run(job);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const { snapshot } = job;
    const scene = this.scenes.get(snapshot.sceneId)!;
    let progress: JobProgress = {
      stage: 'queued',
      tilesDone: 0,
      tilesTotal: 0,
      megapixelsDone: 0,
      megapixelsTotal: 0,
      megapixelsPerSecond: 0,
      etaSeconds: null,
      elapsedMs: 0,
    };
    this.update(job, { state: 'running', progress });
    try {
      const result = await this.writingTo(job.outPath, () =>
        sharpen(
          {
            panPath: scene.view.files.panPath,
            msPath: scene.view.files.msPath,
            method: snapshot.method,
            outPath: job.outPath,
            tileSizePx: snapshot.tileSizePx,
            device: snapshot.device === 'cpu' || snapshot.device === 'cuda' ? snapshot.device : 'auto',
            cog: true,
            ...(scene.override ? { layout: scene.override } : {}),
            adapt: snapshot.adapt,
            ...(snapshot.previewExtent ? { window: panWindowFor(scene.report, snapshot.previewExtent) } : {}),
          },
          {
            signal: job.abort.signal,
            onEvent: (event) => {
              if (event.type === 'log') this.sink.event({ type: 'log', jobId: snapshot.jobId, message: event.message });
              else {
                progress = event.type === 'stage' ? { ...progress, stage: event.stage } : { ...event, stage: progress.stage };
                job.snapshot = { ...job.snapshot, progress };
                this.sink.event({ type: 'progress', jobId: snapshot.jobId, progress });
              }
            },
          },
        ),
      );
      const label = `${result.modelName ?? snapshot.method}${snapshot.previewExtent ? ' (preview)' : ''}`;
      const layer = await rasterLayer(job.outPath, { layerId: `${snapshot.jobId}-out`, kind: 'output', name: label });
      this.layers.set(layer.layerId, { path: job.outPath, sceneId: snapshot.sceneId, layer });
      this.sink.raster(layer.layerId, job.outPath);
      this.update(job, {
        state: 'done',
        result: {
          layer,
          device: result.device,
          deviceReason: result.deviceReason,
          deviceEvents: [...result.deviceEvents],
          modelName: result.modelName,
          elapsedMs: result.elapsedMs,
          megapixelsPerSecond: result.megapixelsPerSecond,
          tiles: result.tiles,
          tileSizePx: result.tileSizePx,
          width: result.width,
          height: result.height,
          dataType: result.dataType,
          adaptation: result.adaptation
            ? { accepted: result.adaptation.accepted, kind: result.adaptation.correction?.kind ?? null, message: result.adaptation.message }
            : null,
        },
      });
    } catch (err) {
      this.update(job, { state: err instanceof CancelledError ? 'cancelled' : 'failed', error: describeError(err) });
    }
  }
}

/** The callable surface, checked against the protocol table at compile time. */
type ServiceMethodsImpl = { [K in keyof import('./protocol.ts').ServiceMethods]: (payload: ServiceRequest<K>, ctx: CallContext) => Promise<ServiceValue<K>> };
const _check: (s: EngineService) => ServiceMethodsImpl = (s) => s;
void _check;
