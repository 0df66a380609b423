/**
 * @module main/engine/adapt/fusion-choice
 * What the sharpen job runs once the scene is open: the method as asked, or the one the self-check recommends
 * (`--method auto`), adapted to the scene when asked (`--adapt`, `--adapt-from FILE`) or when adaptation won the
 * self-check. It also says what to record with the output (GeoTIFF metadata; the sidecar JSON beside it).
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Scene } from '../io/open-scene.ts';
import type { DeviceRequest, FusionMethod } from '../methods/method.ts';
import { resolveMethod } from '../methods/registry.ts';
import type { SceneSample } from '../methods/scene-sample.ts';
import { writeFileAtomic } from '../write/atomic-file.ts';
import { adaptedMethod } from './adapted-method.ts';
import { recommendOnScene, type RecommendResult } from './recommend-on-scene.ts';
import { ADAPTATION_METADATA_KEY, adaptToScene, type AdaptationRecord, loadAdaptationRecord } from './scene-adaptation.ts';
import { SceneTooSmallError } from './wald-windows.ts';

/** The method id that asks for the self-check's pick. */
export const AUTO_METHOD = 'auto';
export const RECOMMENDATION_METADATA_KEY = 'PANFORGE_RECOMMENDATION';

export interface FusionChoiceOptions {
  readonly method: string;
  readonly adapt?: boolean;
  readonly adaptFrom?: string | null;
  readonly sensor?: string | null;
  readonly seed?: number;
  readonly device: DeviceRequest;
  readonly valueMax: number;
  readonly batchSize?: number;
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface FusionChoice {
  /** The method the tiles go through (a corrected wrapper when an adaptation applies). */
  readonly method: FusionMethod;
  /** The adaptation decision (accepted or declined), or null when none was asked for. */
  readonly adaptation: AdaptationRecord | null;
  readonly recommendation: RecommendResult | null;
  /** Items for the output's GeoTIFF metadata. */
  readonly metadata: Record<string, string>;
}

/** `out.tif` → `out.adaptation.json`. */
export function adaptationSidecarPath(outPath: string): string {
  return join(dirname(outPath), `${basename(outPath, extname(outPath))}.adaptation.json`);
}

/** Writes the sidecar beside the output, whole or not at all. */
export function writeAdaptationSidecar(outPath: string, record: AdaptationRecord): string {
  const target = adaptationSidecarPath(outPath);
  writeFileAtomic(target, `${JSON.stringify(record, null, 2)}\n`);
  return target;
}

function compactRanking(result: RecommendResult): string {
  return JSON.stringify({
    recommended: result.recommended,
    seed: result.seed,
    ranking: result.ranking.map((r) => ({ name: r.name, sam: Number(r.sam.toFixed(4)), ergas: Number(r.ergas.toFixed(4)), q2n: Number(r.q2n.toFixed(4)) })),
  });
}

export async function chooseFusion(scene: Scene, sample: SceneSample, options: FusionChoiceOptions): Promise<FusionChoice> {
  const { log } = options;
  let recommendation: RecommendResult | null = null;
  let methodId = options.method;
  let adapt = options.adapt ?? false;
  if (methodId.toLowerCase() === AUTO_METHOD) {
    recommendation = await recommendOnScene(scene, sample, options.valueMax, {
      seed: options.seed,
      sensor: options.sensor,
      device: options.device,
      log,
      signal: options.signal,
      fullResolutionTop: 0,
    });
    methodId = recommendation.recommended.method;
    adapt = adapt || recommendation.recommended.adapt;
    log(
      `auto: the self-check recommends ${recommendation.recommended.name} (ERGAS ${recommendation.ranking[0]!.ergas.toFixed(3)} on held-back reduced-resolution windows)`,
    );
  }
  const base = resolveMethod(methodId, scene.bandCount, scene.ratio);
  let adaptation: AdaptationRecord | null = null;
  if (options.adaptFrom) {
    adaptation = await loadAdaptationRecord(options.adaptFrom, base, scene.bandCount);
    log(`reusing the adaptation in ${options.adaptFrom}${adaptation.accepted ? '' : ' (it declined any correction: sharpening unadapted)'}`);
  } else if (adapt) {
    const fitted = recommendation?.adaptations[base.id];
    if (fitted) {
      adaptation = fitted;
    } else {
      try {
        adaptation = await adaptToScene({
          scene,
          sample,
          method: base,
          sensor: options.sensor,
          seed: options.seed,
          valueMax: options.valueMax,
          device: options.device,
          batchSize: options.batchSize,
          log,
          signal: options.signal,
        });
      } catch (err) {
        if (!(err instanceof SceneTooSmallError)) throw err;
        log(`warning: ${err.message}; sharpening unadapted`);
      }
    }
    if (adaptation) log(adaptation.message);
  }
  const method = adaptation?.accepted && adaptation.correction ? adaptedMethod(base, adaptation.correction) : base;
  const metadata: Record<string, string> = {};
  if (adaptation) metadata[ADAPTATION_METADATA_KEY] = JSON.stringify(adaptation);
  if (recommendation) metadata[RECOMMENDATION_METADATA_KEY] = compactRanking(recommendation);
  return { method, adaptation, recommendation, metadata };
}
