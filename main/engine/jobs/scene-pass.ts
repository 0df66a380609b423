/**
 * @module main/engine/jobs/scene-pass
 * One pass of the sharpen job over its region with one tile size: a fresh writer, every tile streamed through
 * read → fuse → crop to core → write, then band statistics and commit; on any failure the partial output goes.
 */
import type { Scene } from '../io/open-scene.ts';
import type { BatchFusion, FusionMethod, PreparedMethod } from '../methods/method.ts';
import type { ValueScale } from '../methods/value-scale.ts';
import { type BandBlock, cropBlock } from '../raster/band-block.ts';
import { windowTransform } from '../raster/geo-transform.ts';
import { type PixelWindow, windowRelativeTo } from '../raster/pixel-window.ts';
import { readTile, type TileData } from '../tiling/read-tile.ts';
import { planTiles, type TilePlan } from '../tiling/tile-plan.ts';
import { GeoTiffWriter, type OutputDataType } from '../write/geotiff-writer.ts';
import { type JobRunEvent, ProgressMeter } from '../job-events.ts';
import type { SharpenOptions } from './sharpen.ts';
import { sharpenMetadata } from './sharpen-metadata.ts';
import { runTilePipeline, type StageTimings } from './tile-pipeline.ts';

/** Everything a pass needs that does not change between passes. */
export interface ScenePassSetup {
  readonly options: SharpenOptions;
  readonly scene: Scene;
  readonly region: PixelWindow;
  readonly dataType: OutputDataType;
  readonly noData: number | null;
  readonly valueScale: ValueScale;
  readonly method: FusionMethod;
  /** Items from the fusion choice for the output's metadata. */
  readonly choiceMetadata: Readonly<Record<string, string>>;
  /** Read when each pass starts and ends: a network may move from CUDA to the CPU mid-run. */
  readonly prepared: PreparedMethod;
  /** The device the run started on. */
  readonly startDevice: string;
  readonly fusion: BatchFusion;
  /** Tiles per inference call allowed by the memory budget. */
  readonly maxBatchSize: number;
  readonly readAhead: number;
  readonly emit: (event: JobRunEvent) => void;
  readonly signal: AbortSignal | undefined;
}

export interface ScenePass {
  readonly plan: TilePlan;
  readonly writer: GeoTiffWriter;
  readonly timings: StageTimings;
}

/** Writes the whole region with cores of `tileSizePx`, committing the output only when every tile is in. */
export async function writeScenePass(setup: ScenePassSetup, tileSizePx: number): Promise<ScenePass> {
  const { scene, region, method } = setup;
  const plan = planTiles({ region, ratio: scene.ratio, tileSizePx, overlapPx: method.overlapPx, multiplePx: method.tileMultiplePx });
  const writer = await createSceneWriter(setup, plan);
  let timings: StageTimings;
  try {
    timings = await streamTiles(setup, plan, writer);
    setup.emit({ type: 'stage', stage: 'finishing' });
    // Provenance names every device that produced tiles.
    if (setup.prepared.device !== setup.startDevice) writer.updateMetadata({ PANFORGE_DEVICE: `${setup.startDevice},${setup.prepared.device}` });
    await writer.storeBandStatistics();
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return { plan, writer, timings };
}

function createSceneWriter(setup: ScenePassSetup, plan: TilePlan): Promise<GeoTiffWriter> {
  const { options, scene, region, dataType } = setup;
  return GeoTiffWriter.create({
    path: options.outPath,
    width: region.width,
    height: region.height,
    bandDescriptions: scene.bandDescriptions,
    dataType,
    geoTransform: windowTransform(windowRelativeTo(region, scene.region), scene.geoTransform),
    crsWkt: scene.crsWkt,
    noData: setup.noData,
    compression: options.compression ?? 'ZSTD',
    ...(options.creationOptions ? { creationOptions: options.creationOptions } : {}),
    cog: options.cog ?? false,
    overwrite: options.overwrite ?? false,
    metadata: sharpenMetadata({
      scene,
      panPath: options.panPath,
      msPath: options.msPath,
      method: setup.method,
      device: setup.prepared.device,
      preparedMetadata: setup.prepared.metadata,
      choiceMetadata: setup.choiceMetadata,
      valueScale: setup.valueScale,
      dataType,
      plan,
    }),
  });
}

/** Every tile of the plan through the pipeline into the writer, with progress. */
function streamTiles(setup: ScenePassSetup, plan: TilePlan, writer: GeoTiffWriter): Promise<StageTimings> {
  const { scene, region, fusion, noData, emit } = setup;
  emit({ type: 'stage', stage: 'tiling' });
  const meter = new ProgressMeter(plan.tiles.length, region.width * region.height, emit);
  return runTilePipeline(
    plan.tiles,
    {
      read: (tile) => readTile(scene, tile),
      encode: (batch: readonly TileData[]) => fusion.encode(batch.map((d) => ({ ms: d.ms, pan: d.pan }))),
      infer: (encoded) => fusion.infer(encoded),
      decode: (result, batch) =>
        fusion
          .decode(
            result,
            batch.map((d) => ({ ms: d.ms, pan: d.pan })),
          )
          .map((block, i) => cropToCore(block, batch[i]!, noData)),
      write: async (block, data) => {
        const { core } = data.tile;
        await writer.write(windowRelativeTo(core, region), block);
        meter.tileDone(core.width * core.height);
      },
    },
    { batchSize: Math.min(fusion.batchSize, setup.maxBatchSize), readConcurrency: setup.readAhead, signal: setup.signal },
  );
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
