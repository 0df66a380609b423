/**
 * @module main/engine/jobs/sharpen
 * The main job: open and check a scene, pick the method variant, sample global statistics, plan tiles, then
 * stream read → fuse → crop to core → write, with at most a few tiles in flight, into a georeferenced GeoTIFF
 * that appears under its name only when complete.
 */
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { adaptationSidecarPath, chooseFusion, writeAdaptationSidecar } from '../adapt/fusion-choice.ts';
import type { RecommendResult } from '../adapt/recommend-on-scene.ts';
import type { AdaptationRecord } from '../adapt/scene-adaptation.ts';
import { ModelError, OutputError, throwIfAborted } from '../errors.ts';
import type { BandLayoutOverride } from '../io/band-layout.ts';
import { openScene, type Scene } from '../io/open-scene.ts';
import type { BatchFusion, DeviceRequest, FuseInput, FusionMethod, PreparedMethod } from '../methods/method.ts';
import { readSceneSample } from '../methods/scene-sample.ts';
import { resolveValueScale, type ValueScale } from '../methods/value-scale.ts';
import { type BandBlock, cropBlock } from '../raster/band-block.ts';
import { windowTransform } from '../raster/geo-transform.ts';
import { intersectWindows, type PixelWindow, snapWindowOut, translateWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import { readTile, type TileData } from '../tiling/read-tile.ts';
import { planTiles } from '../tiling/tile-plan.ts';
import { softwareVersion } from '../version.ts';
import { GeoTiffWriter, type Compression, type OutputDataType } from '../write/geotiff-writer.ts';
import { checkOutputPath, sweepStalePartials } from '../write/output-path.ts';
import { ProgressMeter, type JobContext } from '../job-events.ts';
import { defaultMaxMemoryBytes, fitTileBudget, isAllocationFailure, MIN_TILE_PX } from './memory-budget.ts';
import { checkOutputs, checkSceneSize, DEFAULT_MAX_PIXELS } from './preflight.ts';
import { runTilePipeline, type StageTimings } from './tile-pipeline.ts';

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

const SUPPORTED_OUTPUT_TYPES: readonly OutputDataType[] = ['Byte', 'UInt16', 'Int16', 'UInt32', 'Int32', 'Float32'];

function outputTypeFor(scene: Scene, requested: 'source' | 'Float32'): OutputDataType {
  if (requested === 'Float32') return 'Float32';
  const t = scene.ms.dataType as OutputDataType;
  return SUPPORTED_OUTPUT_TYPES.includes(t) ? t : 'Float32';
}

/** Copies the core of a fused read-window block (and applies the nodata mask). */
function cropToCore(fused: BandBlock, data: TileData, noData: number | null): BandBlock {
  const { read } = data.tile;
  const core = windowRelativeTo(data.tile.core, read);
  const cropped = cropBlock(fused, core);
  const out = cropped.data;
  const plane = core.width * core.height;
  if (data.invalid && noData !== null) {
    for (let r = 0; r < core.height; r++) {
      for (let c = 0; c < core.width; c++) {
        if (data.invalid[(core.rowOff + r) * read.width + core.colOff + c]) for (let b = 0; b < fused.bands; b++) out[b * plane + r * core.width + c] = noData;
      }
    }
  }
  return cropped;
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

function restrictRegion(scene: Scene, window: PixelWindow | undefined): PixelWindow {
  if (!window) return scene.region;
  const r = scene.ratio;
  const { region } = scene;
  // Snap outward to whole MS pixels (the region's origin is an MS pixel corner), then keep what is inside the region.
  const snapped = translateWindow(snapWindowOut(windowRelativeTo(window, region), r), region.colOff, region.rowOff);
  const restricted = intersectWindows(snapped, region);
  if (!restricted || restricted.width < 2 * r || restricted.height < 2 * r) {
    throw new RangeError(`window ${JSON.stringify(window)} does not overlap the scene's processing region ${JSON.stringify(region)}`);
  }
  return restricted;
}

// Long: the job's one sequence (checks, scene, method, memory budget, passes with retry, cleanup) shares its state
// through closures; the steps that stand alone are the functions above.
export async function sharpen(options: SharpenOptions, ctx: JobContext = {}): Promise<SharpenResult> {
  const emit = ctx.onEvent ?? (() => undefined);
  const log = (message: string) => emit({ type: 'log', message });
  checkOutputPath(options.outPath, options.overwrite ?? false);
  // Leftovers of a run in this folder that was killed before it could clean up (their writer's pid is gone).
  sweepStalePartials(dirname(options.outPath));
  const mayAdapt = options.adapt || options.adaptFrom || options.method.toLowerCase() === 'auto';
  if (mayAdapt && !options.overwrite && existsSync(adaptationSidecarPath(options.outPath))) {
    throw new OutputError('output-exists', `output exists: ${adaptationSidecarPath(options.outPath)} (the adaptation record beside ${basename(options.outPath)}); choose another name or pass --overwrite`, {
      path: adaptationSidecarPath(options.outPath),
    });
  }
  emit({ type: 'stage', stage: 'opening' });
  const scene = await openScene({ panPath: options.panPath, msPath: options.msPath, ...(options.layout ? { layout: options.layout } : {}) });
  let prepared: PreparedMethod | null = null;
  try {
    scene.notes.forEach(log);
    checkSceneSize(scene, options.maxPixels ?? DEFAULT_MAX_PIXELS);
    const region = restrictRegion(scene, options.window);
    const dataType = outputTypeFor(scene, options.dataType ?? 'source');
    checkOutputs(scene, [
      { path: options.outPath, estimate: { region, bands: scene.bandCount, dataType, compressed: (options.compression ?? 'ZSTD') !== 'NONE', cog: options.cog ?? false } },
    ]);
    throwIfAborted(ctx.signal);
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
      log,
      signal: ctx.signal,
    });
    const method: FusionMethod = choice.method;
    // Before the model loads: a budget no tile fits fails now, not after minutes (the method is known only once
    // chooseFusion has picked it: `--method auto` decides on the sample).
    const readAhead = options.readAhead ?? 2;
    const budgetRequest = {
      modelName: method.model?.name ?? null,
      bands: scene.bandCount,
      tileSizePx: options.tileSizePx ?? 512,
      overlapPx: method.overlapPx,
      multiplePx: Math.max(method.tileMultiplePx, scene.ratio),
      batchSize: 1,
      maxMemoryBytes: options.maxMemoryBytes ?? defaultMaxMemoryBytes(),
      tilesInFlight: readAhead + 2,
    };
    const tileBudget = fitTileBudget(budgetRequest);
    throwIfAborted(ctx.signal);
    const ready = await method.prepare({
      ratio: scene.ratio,
      valueMax: valueScale.valueMax,
      sensor: scene.sensor,
      device: options.device ?? 'auto',
      sample,
      batchSize: options.batchSize,
      log,
    });
    prepared = ready;
    const startDevice = ready.device;
    const fusion = ready.batch ?? oneTileAtATime(ready, ctx.signal);
    // The table is host memory on the CPU provider; on CUDA the activations live on the GPU (whose own failures
    // shrink the batch in the BatchRunner), so there only the tile size is held to the budget.
    const budget = ready.device === 'cuda' ? { ...tileBudget, batchSize: fusion.batchSize } : fitTileBudget({ ...budgetRequest, batchSize: fusion.batchSize });
    if (budget.note) log(budget.note);
    const noData = scene.ms.bands[0]?.noData ?? scene.pan.bands[0]?.noData ?? null;
    const started = Date.now();
    /** One pass over the scene with this tile size: a fresh writer, every tile, commit. */
    const writeScene = async (tileSizePx: number) => {
      const plan = planTiles({ region, ratio: scene.ratio, tileSizePx, overlapPx: method.overlapPx, multiplePx: method.tileMultiplePx });
      const writer = await GeoTiffWriter.create({
        path: options.outPath,
        width: region.width,
        height: region.height,
        bandDescriptions: scene.bandDescriptions,
        dataType,
        geoTransform: windowTransform(windowRelativeTo(region, scene.region), scene.geoTransform),
        crsWkt: scene.crsWkt,
        noData,
        compression: options.compression ?? 'ZSTD',
        ...(options.creationOptions ? { creationOptions: options.creationOptions } : {}),
        cog: options.cog ?? false,
        overwrite: options.overwrite ?? false,
        metadata: {
          PANFORGE_METHOD: method.id,
          ...(method.model ? { PANFORGE_MODEL: method.model.name, PANFORGE_MODEL_VERSION: method.model.version, PANFORGE_MODEL_SHA256: method.model.sha256 } : {}),
          PANFORGE_DEVICE: ready.device,
          PANFORGE_PAN: basename(options.panPath),
          PANFORGE_MS: basename(options.msPath),
          ...(scene.sensor ? { PANFORGE_SENSOR: scene.sensor } : {}),
          PANFORGE_BAND_NAMES: `${scene.layout.bandSource}${scene.layout.bandsGuessed ? ' (guessed)' : ''}`,
          PANFORGE_VALUE_MAX: String(valueScale.valueMax),
          ...ready.metadata,
          PANFORGE_TILE: `${plan.tileSizePx}+2x${plan.overlapPx}`,
          ...choice.metadata,
          // What GIS users and the next tool read from the inputs: the sensor, the radiometric bit depth (the output
          // keeps the MS's DN scale) and the PAN/MS ratio the product was sharpened with.
          ...(scene.sensor ? { SENSOR: scene.sensor } : {}),
          ...(valueScale.bitDepth !== null && dataType !== 'Float32' ? { BIT_DEPTH: String(valueScale.bitDepth) } : {}),
          PANFORGE_RATIO: String(scene.ratio),
          TIFFTAG_SOFTWARE: `PanForge ${softwareVersion}`,
          TIFFTAG_DATETIME: new Date().toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, ':'),
        },
      });
      let timings: StageTimings;
      try {
        emit({ type: 'stage', stage: 'tiling' });
        const meter = new ProgressMeter(plan.tiles.length, region.width * region.height, emit);
        timings = await runTilePipeline(
          plan.tiles,
          {
            read: (tile) => readTile(scene, tile),
            encode: (batch: readonly TileData[]) => fusion.encode(batch.map((d) => ({ ms: d.ms, pan: d.pan }))),
            infer: (encoded) => fusion.infer(encoded),
            decode: (result, batch) => fusion.decode(result, batch.map((d) => ({ ms: d.ms, pan: d.pan }))).map((block, i) => cropToCore(block, batch[i]!, noData)),
            write: async (block, data) => {
              const { core } = data.tile;
              await writer.write(windowRelativeTo(core, region), block);
              meter.tileDone(core.width * core.height);
            },
          },
          { batchSize: Math.min(fusion.batchSize, budget.batchSize), readConcurrency: readAhead, signal: ctx.signal },
        );
        emit({ type: 'stage', stage: 'finishing' });
        // Provenance names every device that produced tiles.
        if (ready.device !== startDevice) writer.updateMetadata({ PANFORGE_DEVICE: `${startDevice},${ready.device}` });
        await writer.storeBandStatistics();
        await writer.commit();
      } catch (err) {
        writer.abort();
        throw err;
      }
      return { plan, writer, timings };
    };
    let attempt: Awaited<ReturnType<typeof writeScene>>;
    for (let tileSizePx = budget.tileSizePx; ; ) {
      try {
        attempt = await writeScene(tileSizePx);
        break;
      } catch (err) {
        if (!isAllocationFailure(err)) throw err;
        const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        if (tileSizePx <= MIN_TILE_PX) {
          throw new ModelError('out-of-memory', `${method.model?.name ?? method.id} could not allocate memory even for ${tileSizePx} px tiles (${reason}); free memory or lower --batch`, {
            tileSizePx,
          });
        }
        const smaller = Math.max(MIN_TILE_PX, Math.floor(tileSizePx / 2 / method.tileMultiplePx) * method.tileMultiplePx);
        log(`allocation failed with ${tileSizePx} px tiles (${reason}); starting again with ${smaller} px tiles`);
        tileSizePx = smaller;
      }
    }
    const { plan, writer, timings } = attempt;
    const adaptationPath = choice.adaptation ? writeAdaptationSidecar(options.outPath, choice.adaptation) : null;
    const elapsedMs = Date.now() - started;
    if (writer.clampedPixels > 0) log(`${writer.clampedPixels} output values were outside the ${dataType} range and were clamped`);
    return {
      outPath: options.outPath,
      method: method.id,
      modelName: method.model?.name ?? null,
      device: prepared.device,
      width: region.width,
      height: region.height,
      bands: scene.bandCount,
      dataType,
      tiles: plan.tiles.length,
      tileSizePx: plan.tileSizePx,
      overlapPx: plan.overlapPx,
      elapsedMs,
      megapixelsPerSecond: (region.width * region.height) / 1e6 / Math.max(elapsedMs / 1000, 1e-3),
      clampedPixels: writer.clampedPixels,
      timings,
      batchSize: prepared.batch?.batchSize ?? 1,
      deviceReason: prepared.deviceReason ?? 'TypeScript baseline, runs on the CPU',
      // A copy: the runner's list is live, and the result must not change after the job.
      deviceEvents: [...(prepared.deviceEvents ?? [])],
      valueScale,
      notes: scene.notes,
      adaptation: choice.adaptation,
      adaptationPath,
      recommendation: choice.recommendation,
    };
  } finally {
    await prepared?.dispose();
    scene.close();
  }
}
