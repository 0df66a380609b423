/**
 * @module main/engine/adapt/recommend-on-scene
 * The self-check: which method is best on this scene? Every candidate method (each network with and without the
 * scene adaptation, every baseline) fuses the same seeded Wald windows of the scene's degraded copy; all are scored
 * on the held-back windows only (the adapted variants were fitted on the others), ranked by ERGAS (then SAM), and
 * the top few are also assessed without a reference (QNR/HQNR) on full-resolution windows. Everything runs on a
 * bounded sample, so its cost does not grow with the scene.
 */
import { InputError, throwIfAborted } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import { fullResolutionIndices, type FullResolutionIndices } from '../metrics/full-resolution.ts';
import type { DeviceRequest, FusionMethod } from '../methods/method.ts';
import { mtfGlpMethod } from '../methods/classical/mtf-glp.ts';
import { listMethods, resolveMethod } from '../methods/registry.ts';
import type { SceneSample } from '../methods/scene-sample.ts';
import { type BandBlock, cropBlock, toFloat64 } from '../raster/band-block.ts';
import { pixelWindow, scaleUpWindow, translateWindow } from '../raster/pixel-window.ts';
import { readTile } from '../tiling/read-tile.ts';
import { adaptedMethod } from './adapted-method.ts';
import { type AdaptationRecord, fitAdaptation, glpOnWindows, runOnWindows, type WindowOutputs } from './scene-adaptation.ts';
import { readWaldWindows, type WaldWindowSet } from './wald-windows.ts';
import { coreWindow, scoreWindows, type WindowScores } from './window-scores.ts';

/** Methods given the full-resolution check [default]. */
export const FULL_RESOLUTION_TOP = 3;
/** Full-resolution windows per method (each the area of one Wald window, at the PAN scale). */
export const FULL_RESOLUTION_WINDOWS = 2;

export interface RecommendOptions {
  /** Method ids to compare [default: every installed method that fits the scene]. */
  readonly methods?: readonly string[] | null;
  readonly seed?: number;
  /** Overrides the scene's SENSOR metadata for the MTF. */
  readonly sensor?: string | null;
  readonly device?: DeviceRequest;
  readonly modelsFolder?: string;
  /** How many of the best get QNR/HQNR [default FULL_RESOLUTION_TOP]. */
  readonly fullResolutionTop?: number;
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
  /** Called as each method finishes on the windows. */
  readonly onMethod?: (done: number, total: number, name: string) => void;
}

export interface RankedMethod {
  /** 1 = best. */
  readonly rank: number;
  /** What a user types: "premix", or "premix --adapt". */
  readonly name: string;
  /** A value `--method` accepts. */
  readonly method: string;
  readonly adapt: boolean;
  readonly label: string;
  readonly kind: 'classical' | 'network';
  readonly sam: number;
  readonly ergas: number;
  readonly q2n: number;
  /** For adapted variants: whether the guard kept the correction (false: the variant is the method unadapted). */
  readonly adaptation?: { readonly accepted: boolean; readonly kind: string | null; readonly message: string };
  /** QNR/HQNR on full-resolution windows, for the top few. */
  readonly fullResolution?: FullResolutionIndices;
}

export interface RecommendResult {
  readonly recommended: { readonly method: string; readonly adapt: boolean; readonly name: string };
  readonly ranking: readonly RankedMethod[];
  readonly skipped: readonly { readonly method: string; readonly reason: string }[];
  readonly seed: number;
  readonly sensor: { readonly name: string | null; readonly source: string; readonly warning: string | null };
  readonly windows: { readonly sidePx: number; readonly contextPx: number; readonly fit: number; readonly guard: number; readonly candidates: number };
  /** Adaptation records of the networks (reusable by `sharpen --method auto`). */
  readonly adaptations: Readonly<Record<string, AdaptationRecord>>;
  readonly elapsedMs: number;
}

interface Candidate {
  readonly id: string;
  readonly method: FusionMethod;
}

/** The methods to compare: explicit ids must exist and fit the scene (clear error otherwise); `all` skips the rest. */
export function recommendCandidates(
  scene: Scene,
  methods: readonly string[] | null | undefined,
  folder?: string,
): { candidates: Candidate[]; skipped: { method: string; reason: string }[] } {
  const entries = listMethods(folder);
  const skipped: { method: string; reason: string }[] = [];
  const candidates: Candidate[] = [];
  if (methods && methods.length > 0) {
    const known = entries.map((e) => e.id);
    const unknown = methods.filter((m) => !known.includes(m.toLowerCase()));
    if (unknown.length > 0) {
      throw new InputError(
        'unknown-method',
        `--methods: unknown method${unknown.length > 1 ? 's' : ''} ${unknown.map((m) => `"${m}"`).join(', ')}; available: ${known.join(', ')}`,
        { methods: unknown },
      );
    }
    const seen = new Set<string>();
    for (const id of methods.map((m) => m.toLowerCase())) {
      if (seen.has(id)) continue;
      seen.add(id);
      candidates.push({ id, method: resolveMethod(id, scene.bandCount, scene.ratio, folder) });
    }
    return { candidates, skipped };
  }
  for (const entry of entries) {
    try {
      candidates.push({ id: entry.id, method: resolveMethod(entry.id, scene.bandCount, scene.ratio, folder) });
    } catch (err) {
      skipped.push({ method: entry.id, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { candidates, skipped };
}

/** The `side`-px square `offset` px in from the top-left of `block`, as Float64. */
function crop(block: BandBlock, offset: number, side: number): BandBlock<Float64Array> {
  return toFloat64(cropBlock(block, pixelWindow(offset, offset, side, side)));
}

/** QNR/HQNR of `method` on the first windows' areas at full resolution, averaged. */
async function fullResolutionOnWindows(
  scene: Scene,
  sample: SceneSample,
  windows: WaldWindowSet,
  method: FusionMethod,
  valueMax: number,
  options: RecommendOptions,
): Promise<FullResolutionIndices> {
  const { ratio, region } = scene;
  const prepared = await method.prepare({
    ratio,
    valueMax,
    sensor: windows.sensor.name,
    device: options.device ?? 'auto',
    sample,
    log: options.log ?? (() => undefined),
  });
  const sums = { D_lambda: 0, D_s: 0, QNR: 0, D_lambda_K: 0, HQNR: 0 };
  const used = windows.guard.slice(0, FULL_RESOLUTION_WINDOWS);
  try {
    for (const w of used) {
      throwIfAborted(options.signal);
      const read = translateWindow(scaleUpWindow(pixelWindow(w.msCol, w.msRow, windows.sidePx, windows.sidePx), ratio), region.colOff, region.rowOff);
      const tile = await readTile(scene, { index: 0, row: 0, col: 0, core: read, read });
      const fused = await prepared.fuse({ pan: tile.pan, ms: tile.ms }, options.signal);
      const coreMs = windows.sidePx - 2 * windows.contextPx;
      const indices = fullResolutionIndices({
        fused: crop(fused, windows.contextPx * ratio, coreMs * ratio),
        msLr: crop(tile.ms, windows.contextPx, coreMs),
        pan: crop(tile.pan, windows.contextPx * ratio, coreMs * ratio),
        sensor: windows.sensor.gains,
        ratio,
      });
      for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += indices[k];
    }
  } finally {
    await prepared.dispose();
  }
  const n = used.length;
  return { D_lambda: sums.D_lambda / n, D_s: sums.D_s / n, QNR: sums.QNR / n, D_lambda_K: sums.D_lambda_K / n, HQNR: sums.HQNR / n };
}

/** Ranks the candidate methods on the scene; see the module comment. */
export async function recommendOnScene(scene: Scene, sample: SceneSample, valueMax: number, options: RecommendOptions = {}): Promise<RecommendResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { candidates, skipped } = recommendCandidates(scene, options.methods, options.modelsFolder);
  if (candidates.length === 0)
    throw new InputError('no-method', `no installed method fits this scene (${skipped.map((s) => `${s.method}: ${s.reason}`).join('; ')})`, {});
  const windows = await readWaldWindows({ scene, sample, sensor: options.sensor, seed: options.seed, signal: options.signal });
  if (windows.sensor.warning) log(windows.sensor.warning);
  const rect = coreWindow(windows.sidePx, windows.contextPx);
  type Unranked = Omit<RankedMethod, 'rank'> & { readonly base: FusionMethod; readonly record?: AdaptationRecord };
  const entries: Unranked[] = [];
  const adaptations: Record<string, AdaptationRecord> = {};
  const runOptions = { valueMax, device: options.device ?? 'auto', log, signal: options.signal } as const;
  // MTF-GLP on the windows, for the adaptation's -glp shapes: once, shared by every network.
  let glp: WindowOutputs | null | undefined;
  let done = 0;
  for (const { id, method } of candidates) {
    throwIfAborted(options.signal);
    const fitStarted = performance.now();
    const outputs = await runOnWindows(method, windows, runOptions);
    // MTF-GLP as a candidate has just produced what the -glp shapes need: not run again for them.
    if (method === mtfGlpMethod && glp === undefined) glp = outputs;
    const scores: WindowScores = scoreWindows(windows.guard, outputs.guard, rect, windows.ratio);
    const label = method.label;
    entries.push({ name: id, method: id, adapt: false, label, kind: method.kind, ...scores, base: method });
    if (method.kind === 'network') {
      if (glp === undefined) glp = await glpOnWindows(windows, runOptions);
      const record = fitAdaptation(method, windows, outputs, glp, fitStarted);
      adaptations[id] = record;
      const adapted = record.accepted ? record.guard[record.correction!.kind]! : record.guard.unadapted;
      entries.push({
        name: `${id} --adapt`,
        method: id,
        adapt: true,
        label: `${label} (adapted)`,
        kind: 'network',
        sam: adapted.sam,
        ergas: adapted.ergas,
        q2n: adapted.q2n,
        adaptation: { accepted: record.accepted, kind: record.correction?.kind ?? null, message: record.message },
        base: method,
        record,
      });
    }
    options.onMethod?.(++done, candidates.length, id);
  }
  // Lower ERGAS first, then lower SAM; on a tie the simpler run (unadapted, listed first) stays ahead.
  const order = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.ergas - b.e.ergas || a.e.sam - b.e.sam || a.i - b.i);
  const top = options.fullResolutionTop ?? FULL_RESOLUTION_TOP;
  const fr = new Map<number, FullResolutionIndices>();
  if (scene.ratio === 2 || scene.ratio === 4) {
    let checked = 0;
    for (const { e, i } of order) {
      if (checked >= top) break;
      // An adapted variant the guard declined is the same output as its method: nothing new to assess.
      if (e.adapt && !e.adaptation?.accepted) continue;
      const method = e.adapt && e.record?.correction ? adaptedMethod(e.base, e.record.correction) : e.base;
      fr.set(i, await fullResolutionOnWindows(scene, sample, windows, method, valueMax, options));
      checked++;
    }
  } else {
    log(`full-resolution QNR/HQNR left out: they need a PAN/MS ratio of 2 or 4 (this scene: ${scene.ratio})`);
  }
  const ranking: RankedMethod[] = order.map(({ e, i }, k) => {
    const { base: _base, record: _record, ...rest } = e;
    const f = fr.get(i);
    return { rank: k + 1, ...rest, ...(f ? { fullResolution: f } : {}) };
  });
  const best = ranking[0]!;
  return {
    recommended: { method: best.method, adapt: best.adapt, name: best.name },
    ranking,
    skipped,
    seed: windows.seed,
    sensor: { name: windows.sensor.name, source: windows.sensor.source, warning: windows.sensor.warning },
    windows: { sidePx: windows.sidePx, contextPx: windows.contextPx, fit: windows.fit.length, guard: windows.guard.length, candidates: windows.candidates },
    adaptations,
    elapsedMs: Math.round(performance.now() - started),
  };
}
