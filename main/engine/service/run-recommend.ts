/**
 * @module main/engine/service/run-recommend
 * The app's "Which method is best here?": the recommend job on an open scene, its result in the contract's shape
 * (non-finite numbers, which JSON cannot carry, become null or are left out).
 */
import type { RecommendReport } from '../../../preload/contract.ts';
import { recommend } from '../jobs/recommend.ts';

export interface RunRecommendOptions {
  readonly sceneId: string;
  readonly panPath: string;
  readonly msPath: string;
  readonly seed: number;
  readonly log?: (message: string) => void;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export async function runRecommend(options: RunRecommendOptions): Promise<RecommendReport> {
  const result = await recommend(
    { panPath: options.panPath, msPath: options.msPath, seed: options.seed },
    { onEvent: (e) => e.type === 'log' && options.log?.(e.message) },
  );
  return {
    sceneId: options.sceneId,
    recommended: { ...result.recommended },
    ranking: result.ranking.map((r) => ({
      rank: r.rank,
      name: r.name,
      method: r.method,
      adapt: r.adapt,
      label: r.label,
      kind: r.kind,
      // SAM/ERGAS of a method that produced nothing valid would be NaN: rank it last rather than break the reply.
      sam: finite(r.sam) ?? Number.MAX_VALUE,
      ergas: finite(r.ergas) ?? Number.MAX_VALUE,
      q2n: finite(r.q2n),
      adaptation: r.adaptation ? { ...r.adaptation } : null,
      fullResolution: r.fullResolution && Object.values(r.fullResolution).every(Number.isFinite) ? { ...r.fullResolution } : null,
    })),
    skipped: result.skipped.map((s) => ({ ...s })),
    seed: result.seed,
    sensor: { ...result.sensor },
    windows: { ...result.windows },
    elapsedMs: result.elapsedMs,
  };
}
