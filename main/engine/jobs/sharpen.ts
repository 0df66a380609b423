/**
 * @module main/engine/jobs/sharpen
 * The main job: open and check a scene, pick the method variant, sample global statistics, plan tiles, then
 * stream read → fuse → crop to core → write, with at most a few tiles in flight, into a georeferenced GeoTIFF
 * that appears under its name only when complete.
 */
import { chooseFusion, type FusionChoice, writeAdaptationSidecar } from '../adapt/fusion-choice.ts';
import type { RecommendResult } from '../adapt/recommend-on-scene.ts';
import type { AdaptationRecord } from '../adapt/scene-adaptation.ts';
import { throwIfAborted } from '../errors.ts';
import type { BandLayoutOverride } from '../io/band-layout.ts';
import { openScene, type Scene } from '../io/open-scene.ts';
import type { BatchFusion, DeviceRequest, FuseInput, FusionMethod, PreparedMethod } from '../methods/method.ts';
import { readSceneSample, type SceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale, type ValueScale } from '../methods/value-scale.ts';
import type { BandBlock } from '../raster/band-block.ts';
import type { PixelWindow } from '../raster/pixel-window.ts';
import type { Compression, OutputDataType } from '../write/geotiff-writer.ts';
import type { JobContext, JobRunEvent } from '../job-events.ts';
import { retryWithSmallerTiles } from './allocation-retry.ts';
import { defaultMaxMemoryBytes, fitTileBudget, type TileBudget, type TileBudgetRequest } from './memory-budget.ts';
import { type ScenePass, writeScenePass } from './scene-pass.ts';
import { checkSharpenTarget, planSharpenOutput } from './sharpen-preflight.ts';
import type { StageTimings } from './tile-pipeline.ts';

export interface SharpenOptions {
  readonly panPath: string;
  readonly msPath: string;
  /** Method id: exp, brovey, gsa, mtf-glp, ggpnet, premix, cf2n, or 'auto' (the self-check's pick). */
  readonly method: string;
  /** Adapt the method to the scene on its Wald-degraded copy first (kept only if held-back windows improve). */
  readonly adapt?: boolean;
  /** Reuse the adaptation recorded by an earlier run (its sidecar JSON or its GeoTIFF). */
  readonly adaptFrom?: string | null;
  /** Sensor for the degradation's MTF [default the scene's SENSOR metadata, else generic gains]. */
  readonly sensor?: string | null;
  /** Seed of the adaptation / self-check window draw [default 1]. */
  readonly seed?: number;
  readonly outPath: string;
  /** Tile core size, PAN pixels [default 512]. */
  readonly tileSizePx?: number;
  /** [default 'auto'] */
  readonly device?: DeviceRequest;
  /** [default false] */
  readonly cog?: boolean;
  /** [default false] */
  readonly overwrite?: boolean;
  /** 'source' keeps the MS data type [default 'source']. */
  readonly dataType?: 'source' | 'Float32';
  /** [default 'ZSTD'] */
  readonly compression?: Compression;
  /** GDAL creation options (`KEY=VALUE`, e.g. from `-co`) overriding the defaults. */
  readonly creationOptions?: readonly string[];
  /** Tile reads in flight [default 2]. */
  readonly readAhead?: number;
  /** Tiles per inference call for networks [default 4 on CUDA, 1 on CPU]. */
  readonly batchSize?: number;
  /** Only this part of the region (PAN pixels, scene coordinates), e.g. a preview of the current view. */
  readonly window?: PixelWindow;
  /** Refuse inputs declaring more PAN pixels than this [default DEFAULT_MAX_PIXELS, 4e9]. */
  readonly maxPixels?: number;
  /** Memory the run may use; tile size and batch are chosen to fit [default half the RAM, at most 8 GiB]. */
  readonly maxMemoryBytes?: number;
  /** Sensor and MS band names chosen by the user (--sensor/--bands); absent = from the files, or guessed. */
  readonly layout?: BandLayoutOverride;
}

export interface SharpenResult {
  readonly outPath: string;
  readonly method: string;
  readonly modelName: string | null;
  readonly device: string;
  readonly width: number;
  readonly height: number;
  readonly bands: number;
  readonly dataType: OutputDataType;
  readonly tiles: number;
  readonly tileSizePx: number;
  readonly overlapPx: number;
  readonly elapsedMs: number;
  readonly megapixelsPerSecond: number;
  /** Output values clamped into the output type's range (or non-finite). */
  readonly clampedPixels: number;
  /** Busy time of each stage; they overlap, so their sum may exceed wallMs. inferMs / wallMs is the pipeline
   * efficiency when inference is the bottleneck. */
  readonly timings: StageTimings;
  /** Tiles per inference call at the end of the run (1 for the baselines). */
  readonly batchSize: number;
  /** Why the run started on its device (for `auto`: what it found). */
  readonly deviceReason: string;
  /** Device decisions during the run (CUDA batch shrink, fallback to CPU). */
  readonly deviceEvents: readonly string[];
  readonly valueScale: ValueScale;
  readonly notes: readonly string[];
  /** The adaptation decision, when one was asked for (or won the self-check). */
  readonly adaptation: AdaptationRecord | null;
  /** Where the adaptation record was written beside the output. */
  readonly adaptationPath: string | null;
  /** The self-check's ranking for `--method auto`. */
  readonly recommendation: RecommendResult | null;
}

/** A per-tile method (the baselines) seen as batches: inference is `fuse` on each tile, in order. */
function oneTileAtATime(prepared: PreparedMethod, signal: AbortSignal | undefined): BatchFusion<readonly FuseInput[], BandBlock[]> {
  return {
    batchSize: 1,
    encode: (inputs) => inputs,
    async infer(inputs) {
      const out: BandBlock[] = [];
      for (const input of inputs) out.push(await prepared.fuse(input, signal));
      return out;
    },
    decode: (blocks) => blocks,
  };
}

export async function sharpen(options: SharpenOptions, ctx: JobContext = {}): Promise<SharpenResult> {
  const emit = ctx.onEvent ?? (() => undefined);
  const log = (message: string) => emit({ type: 'log', message });
  checkSharpenTarget(options);
  emit({ type: 'stage', stage: 'opening' });
  const scene = await openScene({ panPath: options.panPath, msPath: options.msPath, ...(options.layout ? { layout: options.layout } : {}) });
  let prepared: PreparedMethod | null = null;
  try {
    scene.notes.forEach(log);
    const { region, dataType } = planSharpenOutput(scene, options);
    throwIfAborted(ctx.signal);
    const { sample, valueScale, choice } = await chooseSceneFusion(scene, options, emit, ctx.signal);
    const method: FusionMethod = choice.method;
    // Before the model loads: a budget no tile fits fails now, not after minutes (the method is known only once
    // chooseFusion has picked it: `--method auto` decides on the sample).
    const readAhead = options.readAhead ?? 2;
    const budgetRequest = tileBudgetRequest(options, scene, method, readAhead);
    const tileBudget = fitTileBudget(budgetRequest);
    throwIfAborted(ctx.signal);
    const ready = await prepareMethod(method, options, scene, sample, valueScale, log);
    prepared = ready;
    const fusion = ready.batch ?? oneTileAtATime(ready, ctx.signal);
    const budget = budgetOnDevice(ready, fusion, budgetRequest, tileBudget);
    if (budget.note) log(budget.note);
    const started = Date.now();
    const setup = {
      options,
      scene,
      region,
      dataType,
      valueScale,
      method,
      fusion,
      readAhead,
      emit,
      noData: scene.ms.bands[0]?.noData ?? scene.pan.bands[0]?.noData ?? null,
      choiceMetadata: choice.metadata,
      prepared: ready,
      startDevice: ready.device,
      maxBatchSize: budget.batchSize,
      signal: ctx.signal,
    };
    const pass = await retryWithSmallerTiles(
      { tileSizePx: budget.tileSizePx, multiplePx: method.tileMultiplePx, what: method.model?.name ?? method.id, log },
      (tileSizePx) => writeScenePass(setup, tileSizePx),
    );
    const adaptationPath = choice.adaptation ? writeAdaptationSidecar(options.outPath, choice.adaptation) : null;
    const elapsedMs = Date.now() - started;
    if (pass.writer.clampedPixels > 0) log(`${pass.writer.clampedPixels} output values were outside the ${dataType} range and were clamped`);
    return sharpenResult({ options, scene, region, dataType, method, prepared: ready, pass, elapsedMs, valueScale, choice, adaptationPath });
  } finally {
    await prepared?.dispose();
    scene.close();
  }
}

/** Samples the scene's statistics and picks the method (and any adaptation) the tiles go through. */
async function chooseSceneFusion(
  scene: Scene,
  options: SharpenOptions,
  emit: (event: JobRunEvent) => void,
  signal: AbortSignal | undefined,
): Promise<{ sample: SceneSample; valueScale: ValueScale; choice: FusionChoice }> {
  emit({ type: 'stage', stage: 'sampling' });
  const sample = await readSceneSample(scene);
  const valueScale = resolveValueScale(scene, sample);
  emit({ type: 'stage', stage: 'preparing' });
  const choice = await chooseFusion(scene, sample, {
    method: options.method,
    adapt: options.adapt,
    adaptFrom: options.adaptFrom,
    sensor: options.sensor,
    seed: options.seed,
    device: options.device ?? 'auto',
    valueMax: valueScale.valueMax,
    batchSize: options.batchSize,
    log: (message) => emit({ type: 'log', message }),
    signal,
  });
  return { sample, valueScale, choice };
}

/** The memory budget asked for one tile per inference call; the batch is fitted once the method is prepared. */
function tileBudgetRequest(options: SharpenOptions, scene: Scene, method: FusionMethod, readAhead: number): TileBudgetRequest {
  return {
    modelName: method.model?.name ?? null,
    bands: scene.bandCount,
    tileSizePx: options.tileSizePx ?? 512,
    overlapPx: method.overlapPx,
    multiplePx: Math.max(method.tileMultiplePx, scene.ratio),
    batchSize: 1,
    maxMemoryBytes: options.maxMemoryBytes ?? defaultMaxMemoryBytes(),
    tilesInFlight: readAhead + 2,
  };
}

/** Loads the method (a network's model and session) for this scene. */
function prepareMethod(
  method: FusionMethod,
  options: SharpenOptions,
  scene: Scene,
  sample: SceneSample,
  valueScale: ValueScale,
  log: (message: string) => void,
): Promise<PreparedMethod> {
  return method.prepare({
    ratio: scene.ratio,
    valueMax: valueScale.valueMax,
    sensor: scene.sensor,
    device: options.device ?? 'auto',
    sample,
    batchSize: options.batchSize,
    log,
  });
}

/**
 * The budget on the device the method was prepared for. The table is host memory on the CPU provider; on CUDA the
 * activations live on the GPU (whose own failures shrink the batch in the BatchRunner), so there only the tile size
 * is held to the budget.
 */
function budgetOnDevice(prepared: PreparedMethod, fusion: BatchFusion, request: TileBudgetRequest, tileBudget: TileBudget): TileBudget {
  return prepared.device === 'cuda' ? { ...tileBudget, batchSize: fusion.batchSize } : fitTileBudget({ ...request, batchSize: fusion.batchSize });
}

interface FinishedRun {
  readonly options: SharpenOptions;
  readonly scene: Scene;
  readonly region: PixelWindow;
  readonly dataType: OutputDataType;
  readonly method: FusionMethod;
  readonly prepared: PreparedMethod;
  readonly pass: ScenePass;
  readonly elapsedMs: number;
  readonly valueScale: ValueScale;
  readonly choice: FusionChoice;
  readonly adaptationPath: string | null;
}

function sharpenResult(run: FinishedRun): SharpenResult {
  const { region, method, prepared, pass, elapsedMs } = run;
  const { plan, writer } = pass;
  return {
    outPath: run.options.outPath,
    method: method.id,
    modelName: method.model?.name ?? null,
    device: prepared.device,
    width: region.width,
    height: region.height,
    bands: run.scene.bandCount,
    dataType: run.dataType,
    tiles: plan.tiles.length,
    tileSizePx: plan.tileSizePx,
    overlapPx: plan.overlapPx,
    elapsedMs,
    megapixelsPerSecond: (region.width * region.height) / 1e6 / Math.max(elapsedMs / 1000, 1e-3),
    clampedPixels: writer.clampedPixels,
    timings: pass.timings,
    batchSize: prepared.batch?.batchSize ?? 1,
    deviceReason: prepared.deviceReason ?? 'TypeScript baseline, runs on the CPU',
    // A copy: the runner's list is live, and the result must not change after the job.
    deviceEvents: [...(prepared.deviceEvents ?? [])],
    valueScale: run.valueScale,
    notes: run.scene.notes,
    adaptation: run.choice.adaptation,
    adaptationPath: run.adaptationPath,
    recommendation: run.choice.recommendation,
  };
}
