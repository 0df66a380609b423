/**
 * @module main/engine/adapt/scene-adaptation
 * Adapting a method to the scene in front of the user, without Python: the method fuses the fit windows of the
 * scene's own Wald-degraded copy (and so does MTF-GLP, which the -glp shapes weigh against it), a `SceneCorrection`
 * of each shape is fitted (closed form) against the original MS, and the held-back windows judge it. A correction is kept only when it lowers the held-back windows'
 * reduced-resolution ERGAS without raising their SAM; otherwise the method runs unadapted and the record says why. The record is what gets
 * stored with the output (GeoTIFF metadata, sidecar JSON) and what `--adapt-from` reads back.
 */
import { readFileSync } from 'node:fs';
import { InputError, throwIfAborted } from '../errors.ts';
import { gdal } from '../io/gdal.ts';
import type { Scene } from '../io/open-scene.ts';
import { upsampleBicubic } from '../methods/classical/bicubic.ts';
import { mtfGlpMethod } from '../methods/classical/mtf-glp.ts';
import type { DeviceRequest, FusionMethod } from '../methods/method.ts';
import type { SceneSample } from '../methods/scene-sample.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { softwareVersion } from '../version.ts';
import {
  applyCorrection,
  CORRECTION_KINDS,
  type CorrectionKind,
  type CorrectionSample,
  fitCorrection,
  panDetail,
  rowLength,
  type SceneCorrection,
} from './scene-correction.ts';
import { readWaldWindows, type WaldWindowSet } from './wald-windows.ts';
import { coreWindow, fuseWindows, scoreWindows, type WindowScores } from './window-scores.ts';

/** /2: rows gained the MTF-GLP weight (before the offset); /1 records are read with that weight 0. */
export const ADAPTATION_FORMAT = 'panforge-adaptation/2';
const ADAPTATION_FORMAT_1 = 'panforge-adaptation/1';
/** GeoTIFF metadata item holding the record (compact JSON). */
export const ADAPTATION_METADATA_KEY = 'PANFORGE_ADAPTATION';

export interface AdaptationRecord {
  readonly format: typeof ADAPTATION_FORMAT;
  /** Method id (as --method takes it). */
  readonly method: string;
  /** The network's model, which the correction belongs to; null for a baseline. */
  readonly model: { readonly name: string; readonly sha256: string } | null;
  readonly bands: number;
  readonly ratio: number;
  readonly sensor: { readonly name: string | null; readonly source: string; readonly gains: readonly number[] };
  readonly windows: {
    readonly seed: number;
    readonly sidePx: number;
    readonly contextPx: number;
    readonly fit: number;
    readonly guard: number;
    readonly candidates: number;
  };
  /** Reduced-resolution scores on the held-back windows: the method alone and with each fitted correction. */
  readonly guard: { readonly unadapted: WindowScores } & Partial<Record<CorrectionKind, WindowScores>>;
  /** True when a correction improved the held-back ERGAS and is applied. */
  readonly accepted: boolean;
  readonly correction: SceneCorrection | null;
  /** One line for the user. */
  readonly message: string;
  readonly fitMs: number;
  readonly software: string;
  readonly createdAt: string;
}

/** The method's outputs on the fit and held-back windows of one window set. */
export interface WindowOutputs {
  readonly fit: readonly BandBlock[];
  readonly guard: readonly BandBlock[];
}

function samplesOf(windows: WaldWindowSet, which: 'fit' | 'guard', fused: readonly BandBlock[], glp: readonly BandBlock[] | null): CorrectionSample[] {
  const rect = coreWindow(windows.sidePx, windows.contextPx);
  return windows[which].map((w, i) => ({
    fused: fused[i]!,
    msUp: upsampleBicubic(w.ms, windows.ratio),
    panDetail: panDetail(w.pan, windows.ratio),
    glp: glp?.[i] ?? null,
    reference: w.reference,
    rect,
  }));
}

/** Fits every correction shape on the fit windows, scores each on the held-back windows, and keeps the one with
 * the lowest ERGAS among those that lower ERGAS there without raising SAM; none such: unadapted. `glp`: MTF-GLP's
 * outputs on the same windows (`glpOnWindows`); null (a ratio MTF-GLP does not support) leaves out the -glp shapes. */
export function fitAdaptation(
  method: FusionMethod,
  windows: WaldWindowSet,
  outputs: WindowOutputs,
  glp: WindowOutputs | null,
  started = performance.now(),
): AdaptationRecord {
  const rect = coreWindow(windows.sidePx, windows.contextPx);
  const fitSamples = samplesOf(windows, 'fit', outputs.fit, glp?.fit ?? null);
  const guardSamples = samplesOf(windows, 'guard', outputs.guard, glp?.guard ?? null);
  const kinds = CORRECTION_KINDS.filter((kind) => glp || !kind.endsWith('-glp'));
  const unadapted = scoreWindows(windows.guard, outputs.guard, rect, windows.ratio);
  const guard: { unadapted: WindowScores } & Partial<Record<CorrectionKind, WindowScores>> = { unadapted };
  let best: { kind: CorrectionKind; correction: SceneCorrection; scores: WindowScores } | null = null;
  for (const kind of kinds) {
    const correction = fitCorrection(kind, fitSamples);
    const corrected = guardSamples.map((s) => applyCorrection(correction, s.fused, s.msUp, s.panDetail, s.glp));
    const scores = scoreWindows(windows.guard, corrected, rect, windows.ratio);
    guard[kind] = scores;
    // Eligible: lower ERGAS without a larger spectral angle (a correction must not trade colour for sharpness).
    const eligible = scores.ergas < unadapted.ergas && scores.sam <= unadapted.sam;
    if (eligible && (!best || scores.ergas < best.scores.ergas)) best = { kind, correction, scores };
  }
  const accepted = best !== null;
  const fmt = (v: number) => v.toFixed(3);
  const message = accepted
    ? `adapted ${method.id} to the scene (${best!.kind} correction): held-back ERGAS ${fmt(unadapted.ergas)} → ${fmt(best!.scores.ergas)}, SAM ${fmt(unadapted.sam)}° → ${fmt(best!.scores.sam)}°`
    : `adaptation of ${method.id} did not improve the held-back windows (unadapted ERGAS ${fmt(unadapted.ergas)}, SAM ${fmt(unadapted.sam)}°; fitted ${kinds.map((k) => `${k} ${fmt(guard[k]!.ergas)}/${fmt(guard[k]!.sam)}°`).join(', ')}): sharpening unadapted`;
  return {
    format: ADAPTATION_FORMAT,
    method: method.id,
    model: method.model ? { name: method.model.name, sha256: method.model.sha256 } : null,
    bands: windows.bands,
    ratio: windows.ratio,
    sensor: { name: windows.sensor.name, source: windows.sensor.source, gains: windows.sensor.gains },
    windows: {
      seed: windows.seed,
      sidePx: windows.sidePx,
      contextPx: windows.contextPx,
      fit: windows.fit.length,
      guard: windows.guard.length,
      candidates: windows.candidates,
    },
    guard,
    accepted,
    correction: accepted ? best!.correction : null,
    message,
    fitMs: Math.round(performance.now() - started),
    software: softwareVersion,
    createdAt: new Date().toISOString(),
  };
}

export interface WindowRunOptions {
  readonly valueMax: number;
  readonly device: DeviceRequest;
  readonly log: (message: string) => void;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** MTF-GLP on a window set (what the -glp correction shapes need); null where it does not support the ratio. */
export async function glpOnWindows(windows: WaldWindowSet, options: WindowRunOptions): Promise<WindowOutputs | null> {
  return mtfGlpMethod.supportedRatios.includes(windows.ratio) ? runOnWindows(mtfGlpMethod, windows, options) : null;
}

/** Runs `method` on a window set's degraded pairs (prepared on the degraded windows' own sample). */
export async function runOnWindows(method: FusionMethod, windows: WaldWindowSet, options: WindowRunOptions): Promise<WindowOutputs> {
  const prepared = await method.prepare({
    ratio: windows.ratio,
    valueMax: options.valueMax,
    sensor: windows.sensor.name,
    device: options.device,
    sample: windows.sample,
    batchSize: options.batchSize,
    log: options.log,
  });
  try {
    const fit = await fuseWindows(prepared, windows.fit, options.signal);
    const guard = await fuseWindows(prepared, windows.guard, options.signal);
    return { fit, guard };
  } finally {
    await prepared.dispose();
  }
}

export interface AdaptSceneOptions extends WindowRunOptions {
  readonly scene: Scene;
  readonly sample: SceneSample;
  readonly method: FusionMethod;
  readonly sensor?: string | null;
  readonly seed?: number;
}

/** Degrades the scene's windows, runs the method on them and fits (or declines) a correction. */
export async function adaptToScene(options: AdaptSceneOptions): Promise<AdaptationRecord> {
  const started = performance.now();
  const windows = await readWaldWindows({ scene: options.scene, sample: options.sample, sensor: options.sensor, seed: options.seed, signal: options.signal });
  if (windows.sensor.warning) options.log(windows.sensor.warning);
  throwIfAborted(options.signal);
  const outputs = await runOnWindows(options.method, windows, options);
  const glp = await glpOnWindows(windows, options);
  return fitAdaptation(options.method, windows, outputs, glp, started);
}

/** A /1 record's rows lack the MTF-GLP weight: insert it (0) before the offset, so it applies as it did. */
function upgradeFormat1(record: AdaptationRecord): AdaptationRecord {
  const c = record.correction;
  if (!c || !Array.isArray(c.coefficients)) return { ...record, format: ADAPTATION_FORMAT };
  const coefficients = c.coefficients.map((row) => (Array.isArray(row) ? [...row.slice(0, -1), 0, ...row.slice(-1)] : row));
  return { ...record, format: ADAPTATION_FORMAT, correction: { ...c, coefficients } };
}

function isNumberArray(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * Reads a record saved by an earlier adapted run: a sidecar JSON, or a GeoTIFF whose metadata holds it. Checks it
 * belongs to this method, model and band count (a correction fitted to another model's output would be wrong).
 */
export async function loadAdaptationRecord(path: string, method: FusionMethod, bands: number): Promise<AdaptationRecord> {
  const bad = (why: string) => new InputError('bad-adaptation', `--adapt-from ${path}: ${why}`, { path });
  let text: string;
  if (/\.(tif|tiff)$/i.test(path)) {
    let ds;
    try {
      ds = await gdal.openAsync(path);
    } catch (err) {
      throw bad(`cannot open it (${err instanceof Error ? err.message.trim() : String(err)})`);
    }
    try {
      const item = (ds.getMetadata() as Record<string, string>)[ADAPTATION_METADATA_KEY];
      if (!item) throw bad(`it has no ${ADAPTATION_METADATA_KEY} metadata (was it sharpened with --adapt?)`);
      text = item;
    } finally {
      ds.close();
    }
  } else {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw bad(`cannot read it (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  let record: AdaptationRecord;
  try {
    record = JSON.parse(text) as AdaptationRecord;
  } catch {
    throw bad('not valid JSON');
  }
  const format = record !== null && typeof record === 'object' ? (record as { format?: unknown }).format : undefined;
  if (format !== ADAPTATION_FORMAT && format !== ADAPTATION_FORMAT_1) throw bad(`not a PanForge adaptation record (expected format "${ADAPTATION_FORMAT}")`);
  if (format === ADAPTATION_FORMAT_1) record = upgradeFormat1(record);
  if (record.method !== method.id) throw bad(`it was fitted for method ${record.method}, not ${method.id}`);
  const model = method.model ? { name: method.model.name, sha256: method.model.sha256 } : null;
  if ((record.model?.name ?? null) !== (model?.name ?? null) || (record.model?.sha256 ?? null) !== (model?.sha256 ?? null)) {
    throw bad(
      `it was fitted for model ${record.model?.name ?? 'none'} (sha256 ${record.model?.sha256?.slice(0, 12) ?? '-'}), but ${method.id} now runs ${model?.name ?? 'no model'} (sha256 ${model?.sha256.slice(0, 12) ?? '-'}); adapt again`,
    );
  }
  if (record.bands !== bands) throw bad(`it is for ${record.bands} bands; this scene has ${bands}`);
  if (record.accepted) {
    const c = record.correction;
    if (
      !c ||
      !CORRECTION_KINDS.includes(c.kind) ||
      c.bands !== bands ||
      !Array.isArray(c.coefficients) ||
      c.coefficients.length !== bands ||
      !c.coefficients.every((row) => isNumberArray(row, rowLength(bands)))
    ) {
      throw bad(`its correction is malformed (expected ${bands} rows of ${rowLength(bands)} finite numbers)`);
    }
  }
  return record;
}
