/**
 * @module main/engine/evaluate/evaluate-job
 * Quality assessment of several methods on one scene, the way the literature does it:
 * - rr (Wald's protocol): degrade PAN and MS by the ratio with the sensor's MTF, run each method on the degraded pair
 *   through the sharpen job, compare its output with the original MS (Q2n, Q, SAM, ERGAS, SCC, PSNR);
 * - fr: run each method on the original pair and assess it without a reference (D_λ, D_s, QNR, D_λ(K), HQNR).
 * Everything streams over tiles (evaluate/*-pass.ts). Writes into one folder: the outputs, the degraded inputs, the
 * maps (spectral angle to the reference, to the upsampled MS, and between two methods) and report.json/.csv/.html.
 * Every file appears under its name only when complete. This module settles and checks the run, then hands each
 * protocol (evaluate/*-protocol.ts) and the comparison maps (evaluate/comparison-maps.ts) one `EvaluationRun`.
 */
import { join } from 'node:path';
import { nyquistGains, panNyquistGain } from '../dsp/sensor-mtf.ts';
import { InputError, RequestError } from '../errors.ts';
import { AssessmentPool, defaultAssessmentThreads } from './assessment-pool.ts';
import { comparisonMaps } from './comparison-maps.ts';
import { type EvaluationReport, INDEX_INFO, type Protocol, type ProtocolResult, reportToCsv, reportToJson } from './evaluation-report.ts';
import type { EvaluationRun, ProtocolOutputs } from './evaluation-run.ts';
import { resolveCompare, resolveSensor, selectMethods, type SkippedMethod } from './evaluation-setup.ts';
import { fullResolutionProtocol } from './full-resolution-protocol.ts';
import { reducedResolutionProtocol } from './reduced-resolution-protocol.ts';
import { ensureFolder, plannedFiles, refuseExisting, writeAtomic } from './report-folder.ts';
import { reportToHtml } from './report-html.ts';
import { openScene, type Scene } from '../io/open-scene.ts';
import type { DeviceRequest } from '../methods/method.ts';
import { modelsFolder } from '../methods/registry.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale } from '../methods/value-scale.ts';
import { checkOutputPath, refuseOutputOverInputs, sweepStalePartials } from '../write/output-path.ts';
import { checkSceneSize, DEFAULT_MAX_PIXELS } from '../jobs/preflight.ts';
import { softwareVersion } from '../version.ts';
import type { JobRunEvent } from '../job-events.ts';

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

export type EvaluateEvent = JobRunEvent | EvaluateStepEvent;

export interface EvaluateContext {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EvaluateEvent) => void;
}

export interface EvaluateResult {
  readonly report: EvaluationReport;
  readonly reportPaths: { readonly json: string; readonly csv: string; readonly html: string };
}

type ReportPaths = EvaluateResult['reportPaths'];

/** The worker threads of a run: one pool for every pass, started by the first pass with more than one tile. */
class RunThreads {
  private pool: AssessmentPool | null = null;
  readonly threading: EvaluationRun['threading'];
  constructor(threads: number, signal: AbortSignal | undefined) {
    this.threading = threads > 1 ? { pool: () => (this.pool ??= new AssessmentPool({ threads, ...(signal ? { signal } : {}) })) } : { threads: 1 };
  }
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** Refusals that need no scene: thread count, protocols, the report folder and its report files. */
function checkRequest(options: EvaluateOptions, threads: number, overwrite: boolean): { protocols: Protocol[]; reportPaths: ReportPaths } {
  if (!Number.isInteger(threads) || threads < 1) throw new RequestError('threads', `threads must be a whole number ≥ 1; got ${threads}`, { got: threads });
  const protocols = [...new Set(options.protocols)];
  if (protocols.length === 0) throw new RequestError('no-protocol', 'no protocol chosen; use rr, fr or both', {});
  const outDir = options.outDir;
  ensureFolder(outDir);
  const reportPaths = { json: join(outDir, 'report.json'), csv: join(outDir, 'report.csv'), html: join(outDir, 'report.html') };
  for (const p of Object.values(reportPaths)) checkOutputPath(p, overwrite);
  return { protocols, reportPaths };
}

/** The PAN gain given, checked, else the sensor's own. */
function resolvePanGain(panGain: number | undefined, mtf: string): { gain: number; source: string } {
  if (panGain !== undefined && !(panGain > 0 && panGain < 1)) {
    throw new InputError('bad-mtf-gain', `PAN Nyquist gain ${panGain} is outside (0, 1)`, { gain: panGain });
  }
  return panGain !== undefined ? { gain: panGain, source: 'given with --pan-gain' } : panNyquistGain(mtf);
}

interface SettledRun {
  readonly run: Omit<EvaluationRun, 'startStep' | 'threading' | 'jobCtx'>;
  readonly skipped: SkippedMethod[];
  readonly compare: readonly [string, string] | null;
}

/** Everything decided before any work, each refusal before a file is written; then the folder is swept. */
async function settleRun(
  options: EvaluateOptions,
  scene: Scene,
  protocols: readonly Protocol[],
  reportPaths: ReportPaths,
  overwrite: boolean,
): Promise<SettledRun> {
  const notes: string[] = [];
  const sensor = resolveSensor(options.sensor, scene, notes);
  nyquistGains(sensor.mtf, scene.bandCount); // a sensor with another band count fails here, before any work
  const panGain = resolvePanGain(options.panGain, sensor.mtf);
  const { methods, skipped } = selectMethods(options.methods, scene, options.modelsFolder ?? modelsFolder());
  const compare = resolveCompare(options.compare, methods);
  const outDir = options.outDir;
  const planned = plannedFiles(
    outDir,
    protocols,
    methods.map((m) => m.id),
    compare,
  );
  if (!overwrite) refuseExisting(planned);
  checkSceneSize(scene, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  refuseOutputOverInputs([...planned, ...Object.values(reportPaths)], scene.inputFiles);
  sweepStalePartials(outDir);
  for (const sub of ['rr', 'fr', 'maps']) sweepStalePartials(join(outDir, sub));
  const sample = await readSceneSample(scene);
  const bitDepth = resolveValueScale(scene, sample).bitDepth;
  if (bitDepth === null && protocols.includes('rr')) notes.push('PSNR is left out: the scene has no bit depth (float reflectance)');
  const pan = { dataset: scene.panDataset, path: options.panPath, colOff: scene.region.colOff, rowOff: scene.region.rowOff };
  const ms = { dataset: scene.msDataset, path: options.msPath, colOff: scene.msRegion.colOff, rowOff: scene.msRegion.rowOff };
  const sharpening = { tileSizePx: options.tileSizePx ?? 512, device: options.device ?? 'auto' };
  return { run: { scene, pan, ms, methods, sensor, panGain, bitDepth, outDir, overwrite, ...sharpening, notes }, skipped, compare };
}

function buildReport(
  options: EvaluateOptions,
  run: EvaluationRun,
  parts: Pick<EvaluationReport, 'protocols' | 'comparisons' | 'skipped'>,
  startedMs: number,
): EvaluationReport {
  const { scene, sensor } = run;
  return {
    software: { name: 'PanForge', version: softwareVersion },
    createdAt: new Date().toISOString(),
    scene: {
      panPath: options.panPath,
      msPath: options.msPath,
      panSize: [scene.pan.width, scene.pan.height],
      msSize: [scene.ms.width, scene.ms.height],
      ratio: scene.ratio,
      bands: scene.bandCount,
      bandDescriptions: scene.bandDescriptions,
      sensor: sensor.name,
      mtf: sensor.mtf,
      bitDepth: run.bitDepth,
      crs: scene.pan.crs?.code ?? scene.pan.crs?.name ?? null,
      notes: scene.notes,
    },
    pathsRelativeTo: 'report folder',
    protocols: parts.protocols,
    comparisons: parts.comparisons,
    skipped: parts.skipped,
    indexInfo: INDEX_INFO,
    notes: run.notes,
    elapsedMs: Date.now() - startedMs,
  };
}

export async function evaluate(options: EvaluateOptions, ctx: EvaluateContext = {}): Promise<EvaluateResult> {
  const started = Date.now();
  const emit = ctx.onEvent ?? (() => undefined);
  const overwrite = options.overwrite ?? false;
  const threads = options.threads ?? defaultAssessmentThreads();
  const { protocols, reportPaths } = checkRequest(options, threads, overwrite);
  const scene = await openScene({ panPath: options.panPath, msPath: options.msPath });
  const workers = new RunThreads(threads, ctx.signal);
  try {
    const { run: settled, skipped, compare } = await settleRun(options, scene, protocols, reportPaths, overwrite);
    // Per protocol: its preparation, then sharpen and indices per method; plus one per protocol for the comparison.
    const protocolSteps = (['rr', 'fr'] as const).filter((p) => protocols.includes(p)).length * (1 + settled.methods.length * 2);
    const totalSteps = protocolSteps + (compare ? protocols.length : 0);
    let step = 0;
    const run: EvaluationRun = {
      ...settled,
      threading: workers.threading,
      jobCtx: { ...(ctx.signal ? { signal: ctx.signal } : {}), onEvent: (e: JobRunEvent) => emit(e) },
      startStep: (label) => emit({ type: 'step', label, index: ++step, total: totalSteps }),
    };
    const results: ProtocolResult[] = [];
    const outputs = new Map<Protocol, ProtocolOutputs>();
    // rr before fr whatever the order asked for, as the report and the step count expect.
    for (const [protocol, runProtocol] of [
      ['rr', reducedResolutionProtocol],
      ['fr', fullResolutionProtocol],
    ] as const) {
      if (!protocols.includes(protocol)) continue;
      const outcome = await runProtocol(run);
      results.push(outcome.result);
      outputs.set(protocol, outcome.outputs);
    }
    const comparisons = compare ? await comparisonMaps(run, compare, outputs) : [];
    const report = buildReport(options, run, { protocols: results, comparisons, skipped }, started);
    writeAtomic(reportPaths.json, reportToJson(report));
    writeAtomic(reportPaths.csv, reportToCsv(report));
    writeAtomic(reportPaths.html, reportToHtml(report));
    return { report, reportPaths };
  } finally {
    await workers.close();
    scene.close();
  }
}
