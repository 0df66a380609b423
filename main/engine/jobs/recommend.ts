/**
 * @module main/engine/jobs/recommend
 * The `recommend` job: open and check the scene, take its bounded sample and value scale as `sharpen` does, then
 * rank the methods on the scene's own Wald-degraded windows (adapt/recommend-on-scene.ts).
 */
import { recommendOnScene, type RecommendOptions, type RecommendResult } from '../adapt/recommend-on-scene.ts';
import { openScene } from '../io/open-scene.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale } from '../methods/value-scale.ts';
import type { JobContext } from '../job-events.ts';

export interface RecommendJobOptions extends Omit<RecommendOptions, 'signal' | 'log'> {
  readonly panPath: string;
  readonly msPath: string;
}

export interface RecommendJobResult extends RecommendResult {
  readonly panPath: string;
  readonly msPath: string;
  readonly notes: readonly string[];
}

export async function recommend(options: RecommendJobOptions, ctx: JobContext = {}): Promise<RecommendJobResult> {
  const emit = ctx.onEvent ?? (() => undefined);
  const log = (message: string) => emit({ type: 'log', message });
  emit({ type: 'stage', stage: 'opening' });
  const scene = await openScene({ panPath: options.panPath, msPath: options.msPath });
  try {
    scene.notes.forEach(log);
    emit({ type: 'stage', stage: 'sampling' });
    const sample = await readSceneSample(scene);
    const valueScale = resolveValueScale(scene, sample);
    emit({ type: 'stage', stage: 'preparing' });
    const started = Date.now();
    const result = await recommendOnScene(scene, sample, valueScale.valueMax, {
      ...options,
      signal: ctx.signal,
      log,
      // Progress counts methods done (a "tile" each); pixels are not what this job is paced by.
      onMethod: (done, total) => {
        const elapsedMs = Date.now() - started;
        emit({
          type: 'progress',
          tilesDone: done,
          tilesTotal: total,
          megapixelsDone: 0,
          megapixelsTotal: 0,
          megapixelsPerSecond: 0,
          etaSeconds: (elapsedMs / 1000 / done) * (total - done),
          elapsedMs,
        });
      },
    });
    return { ...result, panPath: options.panPath, msPath: options.msPath, notes: scene.notes };
  } finally {
    scene.close();
  }
}
