/**
 * @module main/engine/jobs/evaluate
 * Quality assessment of several methods on one scene, the way the literature does it:
 * - rr (Wald's protocol): degrade PAN and MS by the ratio with the sensor's MTF, run each method on the degraded pair
 *   through the sharpen job, compare its output with the original MS (Q2n, Q, SAM, ERGAS, SCC, PSNR);
 * - fr: run each method on the original pair and assess it without a reference (D_λ, D_s, QNR, D_λ(K), HQNR).
 * Everything streams over tiles (evaluate/*-pass.ts). Writes into one folder: the outputs, the degraded inputs, the
 * maps (spectral angle to the reference, to the upsampled MS, and between two methods) and report.json/.csv/.html.
 * Every file appears under its name only when complete.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { canonicalSensor, knownSensors, nyquistGains, panNyquistGain } from '../dsp/sensor-mtf.ts';
import { InputError, OutputError, RequestError, throwIfAborted } from '../errors.ts';
import { AssessmentPool, defaultAssessmentThreads, sharedBlock } from '../evaluate/assessment-pool.ts';
import { comparisonPass } from '../evaluate/comparison-pass.ts';
import { type ComparisonEntry, type EvaluationReport, INDEX_INFO, type MethodResult, type Protocol, type ProtocolResult, reportToCsv, reportToJson } from '../evaluate/evaluation-report.ts';
import { fullResolutionPass, panLowResolution } from '../evaluate/full-resolution-pass.ts';
import { createMapWriter, type MapGrid } from '../evaluate/map-writer.ts';
import { reducedResolutionPass } from '../evaluate/reduced-resolution-pass.ts';
import type { FullResolutionResult } from '../metrics/full-resolution-accumulator.ts';
import type { ReducedResolutionIndices } from '../metrics/reduced-resolution.ts';
import { reportToHtml } from '../evaluate/report-html.ts';
import { waldDegrade } from '../evaluate/wald-degrade.ts';
import { type Dataset, gdal } from '../io/gdal.ts';
import { openScene, type Scene } from '../io/open-scene.ts';
import type { DeviceRequest, FusionMethod } from '../methods/method.ts';
import { listMethods, modelsFolder, resolveMethod } from '../methods/registry.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale } from '../methods/value-scale.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { checkOutputPath, partialPathFor, refuseOutputOverInputs, sweepStalePartials, writeFailure } from '../write/output-path.ts';
import { checkSceneSize, DEFAULT_MAX_PIXELS } from './preflight.ts';
import { softwareVersion } from '../version.ts';
import type { JobEvent } from './job-events.ts';
import { sharpen } from './sharpen.ts';

/** The networks the project ships; `all` names the ones whose models are not installed. */
const KNOWN_NETWORKS = ['ggpnet', 'premix', 'cf2n'];
/** The block indices' block side. */
const BLOCK = 32;

export interface EvaluateOptions {
  readonly panPath: string;
  readonly msPath: string;
  /** Method ids, or 'all': every method installed that fits the scene (the rest listed as skipped). */
  readonly methods: 'all' | readonly string[];
  readonly protocols: readonly Protocol[];
  /** Sensor for the MTF (name or alias); default the scene's metadata, else the generic MTF. */
  readonly sensor?: string | null;
  readonly outDir: string;
  /** The two methods whose disagreement is mapped; default the first two methods. */
  readonly compare?: readonly [string, string] | null;
  /** [default 512] */
  readonly tileSizePx?: number;
  /** [default 'auto'] */
  readonly device?: DeviceRequest;
  /** Replace files of an earlier report in outDir [default false]. */
  readonly overwrite?: boolean;
  /** Where network models are looked up [default the registry's folder]. */
  readonly modelsFolder?: string;
  /** Worker threads for the indices (the rr and fr passes); 1 computes them in this thread [default
   * os.availableParallelism()]. Any count gives the same values. */
  readonly threads?: number;
  /** PAN Nyquist gain for Wald's degradation, in (0, 1) [default: the sensor's own (sensor-mtf.json), else 0.15]. */
  readonly panGain?: number;
  /** Refuse inputs declaring more PAN pixels than this [default DEFAULT_MAX_PIXELS]. */
  readonly maxPixels?: number;
}

/** A step starts; progress/log events that follow belong to it. */
export interface EvaluateStepEvent {
  readonly type: 'step';
  readonly label: string;
  readonly index: number;
  readonly total: number;
}

export type EvaluateEvent = JobEvent | EvaluateStepEvent;

export interface EvaluateContext {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EvaluateEvent) => void;
}

export interface EvaluateResult {
  readonly report: EvaluationReport;
  readonly reportPaths: { readonly json: string; readonly csv: string; readonly html: string };
}

interface SelectedMethods {
  readonly methods: FusionMethod[];
  readonly skipped: { method: string; reason: string }[];
}

function selectMethods(options: EvaluateOptions, scene: Scene): SelectedMethods {
  const folder = options.modelsFolder ?? modelsFolder();
  const entries = listMethods(folder);
  const skipped: { method: string; reason: string }[] = [];
  const methods: FusionMethod[] = [];
  if (options.methods === 'all') {
    for (const entry of entries) {
      try {
        methods.push(resolveMethod(entry.id, scene.bandCount, scene.ratio, folder));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        skipped.push({ method: entry.id, reason: err.message });
      }
    }
    for (const id of KNOWN_NETWORKS) {
      if (!entries.some((e) => e.id === id)) skipped.push({ method: id, reason: `model not installed (no ${id} manifest in ${folder})` });
    }
  } else {
    for (const id of new Set(options.methods.map((m) => m.toLowerCase()))) methods.push(resolveMethod(id, scene.bandCount, scene.ratio, folder));
  }
  if (methods.length === 0) {
    throw new InputError('no-methods', `no method fits this scene (${scene.bandCount} bands, ratio ${scene.ratio}); skipped: ${skipped.map((s) => `${s.method}: ${s.reason}`).join('; ')}`, { skipped });
  }
  return { methods, skipped };
}

function resolveSensor(requested: string | null | undefined, scene: Scene, notes: string[]): { name: string | null; mtf: string } {
  if (requested) {
    if (['generic', 'none'].includes(requested.toLowerCase())) return { name: null, mtf: 'generic' };
    const canonical = canonicalSensor(requested);
    if (!canonical) {
      throw new RequestError('unknown-sensor', `unknown sensor "${requested}"; known: ${knownSensors().join(', ')}, or "generic" (MTF gain 0.3 per band)`, { sensor: requested });
    }
    return { name: canonical, mtf: canonical };
  }
  if (scene.sensor) {
    const canonical = canonicalSensor(scene.sensor);
    if (canonical) return { name: canonical, mtf: canonical };
    notes.push(`sensor "${scene.sensor}" (from the metadata) has no MTF table; the generic MTF (Nyquist gain 0.3) is used; pass --sensor to choose one`);
    return { name: scene.sensor, mtf: 'generic' };
  }
  notes.push('the scene names no sensor; the generic MTF (Nyquist gain 0.3) is used; pass --sensor to choose one');
  return { name: null, mtf: 'generic' };
}

function ensureFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    throw new OutputError('output-folder-unwritable', `cannot create the report folder ${path}: ${err instanceof Error ? err.message : String(err)}`, { path });
  }
  if (!statSync(path).isDirectory()) throw new OutputError('output-is-file', `report folder ${path} is a file`, { path });
}

/** Writes text atomically: NAME.partial.EXT, then rename. */
function writeAtomic(path: string, text: string): void {
  const partial = partialPathFor(path);
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw writeFailure(path, err);
  }
}

/** Every file a run writes, so that an earlier run's files stop it before any work rather than halfway. */
function plannedFiles(outDir: string, protocols: readonly Protocol[], methodIds: readonly string[], compare: readonly [string, string] | null): string[] {
  const files: string[] = [];
  for (const p of protocols) {
    if (p === 'rr') files.push(join(outDir, 'rr', 'degraded_pan.tif'), join(outDir, 'rr', 'degraded_ms.tif'));
    for (const id of methodIds) files.push(join(outDir, p, `${id}.tif`), join(outDir, 'maps', p === 'rr' ? `rr_${id}_sam.tif` : `fr_${id}_sam_ms.tif`));
    if (compare) {
      const [a, b] = [compare[0].toLowerCase(), compare[1].toLowerCase()];
      files.push(join(outDir, 'maps', `${p}_compare_${a}_${b}_sam.tif`), join(outDir, 'maps', `${p}_compare_${a}_${b}_reldiff.tif`));
    }
  }
  return files;
}

function refuseExisting(files: readonly string[]): void {
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0) {
    throw new OutputError('output-exists', `output exists: ${existing[0]}${existing.length > 1 ? ` (and ${existing.length - 1} more files of an earlier run)` : ''}; choose another folder or pass --overwrite`, { paths: existing });
  }
}

async function withMap<T>(writerPromise: Promise<GeoTiffWriter>, use: (w: GeoTiffWriter) => Promise<T>): Promise<T> {
  const writer = await writerPromise;
  try {
    const result = await use(writer);
    await writer.commit();
    return result;
  } catch (err) {
    writer.abort();
    throw err;
  }
}

async function withDataset<T>(path: string, use: (ds: Dataset) => Promise<T>): Promise<T> {
  const ds = await gdal.openAsync(path);
  try {
    return await use(ds);
  } finally {
    ds.close();
  }
}

export async function evaluate(options: EvaluateOptions, ctx: EvaluateContext = {}): Promise<EvaluateResult> {
  const started = Date.now();
  const emit = ctx.onEvent ?? (() => undefined);
  const overwrite = options.overwrite ?? false;
  const threads = options.threads ?? defaultAssessmentThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new RequestError('threads', `threads must be a whole number ≥ 1; got ${threads}`, { got: threads });
  const protocols = [...new Set(options.protocols)];
  if (protocols.length === 0) throw new RequestError('no-protocol', 'no protocol chosen; use rr, fr or both', {});
  const outDir = options.outDir;
  ensureFolder(outDir);
  const reportPaths = { json: join(outDir, 'report.json'), csv: join(outDir, 'report.csv'), html: join(outDir, 'report.html') };
  for (const p of Object.values(reportPaths)) checkOutputPath(p, overwrite);
  const rel = (p: string) => relative(outDir, p);

  const scene = await openScene({ panPath: options.panPath, msPath: options.msPath });
  // One set of worker threads for every pass of the run, started by the first pass with more than one tile.
  const workers: { pool: AssessmentPool | null } = { pool: null };
  const pool = threads > 1 ? () => (workers.pool ??= new AssessmentPool({ threads, ...(ctx.signal ? { signal: ctx.signal } : {}) })) : undefined;
  const threading = pool ? { pool } : { threads: 1 };
  try {
    const notes: string[] = [];
    const sensor = resolveSensor(options.sensor, scene, notes);
    nyquistGains(sensor.mtf, scene.bandCount); // a sensor with another band count fails here, before any work
    if (options.panGain !== undefined && !(options.panGain > 0 && options.panGain < 1)) {
      throw new InputError('bad-mtf-gain', `PAN Nyquist gain ${options.panGain} is outside (0, 1)`, { gain: options.panGain });
    }
    const panGain = options.panGain !== undefined ? { gain: options.panGain, source: 'given with --pan-gain' } : panNyquistGain(sensor.mtf);
    const { methods, skipped } = selectMethods(options, scene);
    const compare = options.compare ?? (methods.length >= 2 ? ([methods[0]!.id, methods[1]!.id] as const) : null);
    if (compare) {
      for (const id of compare) {
        if (!methods.some((m) => m.id === id.toLowerCase())) {
          throw new RequestError('compare-method', `--compare names "${id}", which is not among the evaluated methods (${methods.map((m) => m.id).join(', ')})`, { method: id });
        }
      }
      if (compare[0].toLowerCase() === compare[1].toLowerCase()) throw new RequestError('compare-method', `--compare needs two different methods; got "${compare[0]}" twice`, {});
    }
    const planned = plannedFiles(outDir, protocols, methods.map((m) => m.id), compare);
    if (!overwrite) refuseExisting(planned);
    checkSceneSize(scene, options.maxPixels ?? DEFAULT_MAX_PIXELS);
    refuseOutputOverInputs([...planned, ...Object.values(reportPaths)], scene.inputFiles);
    sweepStalePartials(outDir);
    for (const sub of ['rr', 'fr', 'maps']) sweepStalePartials(join(outDir, sub));
    const sample = await readSceneSample(scene);
    const bitDepth = resolveValueScale(scene, sample).bitDepth;
    if (bitDepth === null && protocols.includes('rr')) notes.push('PSNR is left out: the scene has no bit depth (float reflectance)');
    const noData = scene.ms.bands[0]?.noData ?? scene.pan.bands[0]?.noData ?? null;
    const { ratio, bandCount: bands } = scene;
    const gt = scene.geoTransform;
    const panSource = { dataset: scene.panDataset, path: options.panPath, colOff: scene.region.colOff, rowOff: scene.region.rowOff };
    const msSource = { dataset: scene.msDataset, path: options.msPath, colOff: scene.msRegion.colOff, rowOff: scene.msRegion.rowOff };

    const perMethod = methods.length * 2;
    const totalSteps = (protocols.includes('rr') ? 1 + perMethod : 0) + (protocols.includes('fr') ? 1 + perMethod : 0) + (compare ? protocols.length : 0);
    let step = 0;
    const startStep = (label: string) => emit({ type: 'step', label, index: ++step, total: totalSteps });
    const jobCtx = { ...(ctx.signal ? { signal: ctx.signal } : {}), onEvent: (e: JobEvent) => emit(e) };
    const results: ProtocolResult[] = [];
    const outputs = new Map<Protocol, { grid: MapGrid; paths: Map<string, string> }>();

    const runMethod = async (protocol: Protocol, method: FusionMethod, panPath: string, msPath: string, folder: string) => {
      startStep(`${protocol} ${method.id}: sharpen`);
      const outPath = join(folder, `${method.id}.tif`);
      const result = await sharpen(
        { panPath, msPath, method: method.id, outPath, dataType: 'Float32', overwrite, tileSizePx: options.tileSizePx ?? 512, device: options.device ?? 'auto' },
        jobCtx,
      );
      return { outPath, result };
    };
    /** One method's row of a protocol: its indices (less the exclusion counts), output, maps and timings. */
    const methodResult = (
      method: FusionMethod,
      indices: ReducedResolutionIndices | FullResolutionResult,
      outputPath: string,
      maps: Record<string, string>,
      result: { readonly elapsedMs: number; readonly device: string },
      indicesStartedMs: number,
    ): MethodResult => {
      const { excluded, ...values } = indices;
      return {
        method: method.id,
        label: method.label,
        kind: method.kind,
        modelName: method.model?.name ?? null,
        indices: values,
        excluded: { ...excluded },
        outputPath,
        maps,
        sharpenMs: result.elapsedMs,
        indicesMs: Date.now() - indicesStartedMs,
        device: result.device,
      };
    };

    if (protocols.includes('rr')) {
      const msWidth = Math.floor(scene.msRegion.width / ratio) * ratio;
      const msHeight = Math.floor(scene.msRegion.height / ratio) * ratio;
      if (msWidth < BLOCK || msHeight < BLOCK) {
        throw new InputError(
          'scene-too-small',
          `reduced-resolution protocol: the MS of ${basename(options.msPath)} is ${scene.msRegion.width}×${scene.msRegion.height} px; it needs at least ${BLOCK}×${BLOCK} (one Q2n block, the reference) in whole multiples of the ratio ${ratio}`,
          { got: [scene.msRegion.width, scene.msRegion.height], expected: [BLOCK, BLOCK] },
        );
      }
      if (msWidth !== scene.msRegion.width || msHeight !== scene.msRegion.height) {
        notes.push(`rr: the reference is the top-left ${msWidth}×${msHeight} MS pixels (sides multiples of the ratio ${ratio}, which the degradation needs)`);
      }
      const folder = join(outDir, 'rr');
      ensureFolder(folder);
      ensureFolder(join(outDir, 'maps'));
      startStep('rr: degrading PAN and MS (Wald)');
      const degraded = await waldDegrade(
        {
          pan: panSource,
          ms: msSource,
          bands,
          bandDescriptions: scene.bandDescriptions,
          msWidth,
          msHeight,
          ratio,
          sensor: sensor.mtf,
          panGain: panGain.gain,
          panGeoTransform: gt,
          crsWkt: scene.crsWkt,
          bitDepth,
          sensorName: sensor.name,
          panOutPath: join(folder, 'degraded_pan.tif'),
          msOutPath: join(folder, 'degraded_ms.tif'),
          noData,
          overwrite,
        },
        jobCtx,
      );
      const grid: MapGrid = { width: msWidth, height: msHeight, geoTransform: [gt[0], gt[1] * ratio, 0, gt[3], 0, gt[5] * ratio], crsWkt: scene.crsWkt };
      const paths = new Map<string, string>();
      const list: MethodResult[] = [];
      for (const method of methods) {
        throwIfAborted(ctx.signal);
        const { outPath, result } = await runMethod('rr', method, degraded.panPath, degraded.msPath, folder);
        paths.set(method.id, outPath);
        startStep(`rr ${method.id}: indices`);
        const t0 = Date.now();
        const mapPath = join(outDir, 'maps', `rr_${method.id}_sam.tif`);
        const indices = await withDataset(outPath, (fusedDs) =>
          withMap(createMapWriter({ path: mapPath, grid, description: `spectral angle to the reference, degrees (${method.id}, rr)`, overwrite }), (samMap) =>
            reducedResolutionPass(
              { reference: msSource, fused: { dataset: fusedDs, path: outPath, colOff: 0, rowOff: 0 }, bands, width: msWidth, height: msHeight, ratio, bitDepth, samMap, coreSizePx: 512, ...threading },
              jobCtx,
            ),
          ),
        );
        list.push(methodResult(method, indices, rel(outPath), { samToReference: rel(mapPath) }, result, t0));
      }
      outputs.set('rr', { grid, paths });
      results.push({
        protocol: 'rr',
        title: "Reduced resolution (Wald's protocol)",
        description: `PAN and MS MTF-degraded by ${ratio} (MS: ${sensor.mtf} MTF; PAN: Nyquist gain ${degraded.panGain}, ${panGain.source}); each method fused the degraded pair; the original MS (${msWidth}×${msHeight} px) is the reference.`,
        area: { colOff: scene.msRegion.colOff, rowOff: scene.msRegion.rowOff, width: msWidth, height: msHeight, grid: 'MS' },
        methods: list,
        inputs: { panPath: rel(degraded.panPath), msPath: rel(degraded.msPath) },
      });
    }

    if (protocols.includes('fr')) {
      const width = Math.floor(scene.region.width / BLOCK) * BLOCK;
      const height = Math.floor(scene.region.height / BLOCK) * BLOCK;
      if (width < BLOCK || height < BLOCK) {
        throw new InputError(
          'scene-too-small',
          `full-resolution protocol: the scene is ${scene.region.width}×${scene.region.height} PAN px; D_λ, D_s and D_λ(K) need at least one ${BLOCK}×${BLOCK} block`,
          { got: [scene.region.width, scene.region.height], expected: [BLOCK, BLOCK] },
        );
      }
      if (width !== scene.region.width || height !== scene.region.height) {
        notes.push(`fr: the indices cover the top-left ${width}×${height} PAN pixels (sides multiples of ${BLOCK}, as the block indices need); the maps are NaN outside it`);
      }
      const folder = join(outDir, 'fr');
      ensureFolder(folder);
      ensureFolder(join(outDir, 'maps'));
      startStep('fr: low-pass PAN (imresize 1/ratio)');
      // Shared memory: every method's workers read it without a copy.
      const panLowRes = sharedBlock(await panLowResolution(panSource, width, height, ratio, jobCtx));
      const grid: MapGrid = { width: scene.region.width, height: scene.region.height, geoTransform: gt, crsWkt: scene.crsWkt };
      const paths = new Map<string, string>();
      const list: MethodResult[] = [];
      for (const method of methods) {
        throwIfAborted(ctx.signal);
        const { outPath, result } = await runMethod('fr', method, options.panPath, options.msPath, folder);
        paths.set(method.id, outPath);
        startStep(`fr ${method.id}: indices`);
        const t0 = Date.now();
        const mapPath = join(outDir, 'maps', `fr_${method.id}_sam_ms.tif`);
        const indices = await withDataset(outPath, (fusedDs) =>
          withMap(createMapWriter({ path: mapPath, grid, description: `spectral angle to the upsampled MS, degrees (${method.id}, fr)`, overwrite }), (samMap) =>
            fullResolutionPass(
              { pan: panSource, ms: msSource, fused: { dataset: fusedDs, path: outPath, colOff: 0, rowOff: 0 }, bands, width, height, ratio, sensor: sensor.mtf, panLowRes, samMap, ...threading },
              jobCtx,
            ),
          ),
        );
        list.push(methodResult(method, indices, rel(outPath), { samToUpsampledMs: rel(mapPath) }, result, t0));
      }
      outputs.set('fr', { grid, paths });
      results.push({
        protocol: 'fr',
        title: 'Full resolution (no reference)',
        description: `each method fused the original pair; indices over ${width}×${height} PAN px against the PAN and the MS upsampled with interp23tap; D_λ(K) with the ${sensor.mtf} MTF.`,
        area: { colOff: scene.region.colOff, rowOff: scene.region.rowOff, width, height, grid: 'PAN' },
        methods: list,
      });
    }

    const comparisons: ComparisonEntry[] = [];
    if (compare) {
      const [a, b] = [compare[0].toLowerCase(), compare[1].toLowerCase()];
      for (const [protocol, out] of outputs) {
        startStep(`${protocol}: ${a} vs ${b} maps`);
        const angle = join(outDir, 'maps', `${protocol}_compare_${a}_${b}_sam.tif`);
        const diff = join(outDir, 'maps', `${protocol}_compare_${a}_${b}_reldiff.tif`);
        const pathA = out.paths.get(a)!;
        const pathB = out.paths.get(b)!;
        const r = await withDataset(pathA, (dsA) =>
          withDataset(pathB, (dsB) =>
            withMap(createMapWriter({ path: angle, grid: out.grid, description: `spectral angle between ${a} and ${b}, degrees (${protocol})`, overwrite }), (angleMap) =>
              withMap(createMapWriter({ path: diff, grid: out.grid, description: `relative difference between ${a} and ${b} (${protocol})`, overwrite }), (differenceMap) =>
                comparisonPass(
                  { a: { dataset: dsA, path: pathA, colOff: 0, rowOff: 0 }, b: { dataset: dsB, path: pathB, colOff: 0, rowOff: 0 }, bands, width: out.grid.width, height: out.grid.height, angleMap, differenceMap },
                  jobCtx,
                ),
              ),
            ),
          ),
        );
        comparisons.push({ protocol, a, b, ...r, maps: { spectralAngle: rel(angle), relativeDifference: rel(diff) } });
      }
    }

    const report: EvaluationReport = {
      software: { name: 'PanForge', version: softwareVersion },
      createdAt: new Date().toISOString(),
      scene: {
        panPath: options.panPath,
        msPath: options.msPath,
        panSize: [scene.pan.width, scene.pan.height],
        msSize: [scene.ms.width, scene.ms.height],
        ratio,
        bands,
        bandDescriptions: scene.bandDescriptions,
        sensor: sensor.name,
        mtf: sensor.mtf,
        bitDepth,
        crs: scene.pan.crs?.code ?? scene.pan.crs?.name ?? null,
        notes: scene.notes,
      },
      pathsRelativeTo: 'report folder',
      protocols: results,
      comparisons,
      skipped,
      indexInfo: INDEX_INFO,
      notes,
      elapsedMs: Date.now() - started,
    };
    writeAtomic(reportPaths.json, reportToJson(report));
    writeAtomic(reportPaths.csv, reportToCsv(report));
    writeAtomic(reportPaths.html, reportToHtml(report));
    return { report, reportPaths };
  } finally {
    await workers.pool?.close();
    scene.close();
  }
}
