/**
 * @module main/engine/evaluate/evaluation-run
 * What every protocol of one evaluation shares: the scene and its sources, the settled methods and sensor, the
 * report folder, the threading and the step reporting; plus what each protocol does per method (sharpen it into
 * the protocol's folder, score the output with the protocol's pass while writing its SAM map, turn the indices into a
 * report row) and the open/close discipline of the datasets and maps the passes read and write.
 */
import { relative } from 'node:path';
import { throwIfAborted } from '../errors.ts';
import { type Dataset, gdal } from '../io/gdal.ts';
import type { Scene } from '../io/open-scene.ts';
import type { JobContext } from '../job-events.ts';
import { sharpen, type SharpenResult } from '../jobs/sharpen.ts';
import type { FullResolutionResult } from '../metrics/full-resolution-accumulator.ts';
import type { ReducedResolutionIndices } from '../metrics/reduced-resolution.ts';
import type { DeviceRequest, FusionMethod } from '../methods/method.ts';
import type { GeoTiffWriter } from '../write/geotiff-writer.ts';
import type { ThreadingOptions } from './assessment-pool.ts';
import type { MethodResult, Protocol, ProtocolResult } from './evaluation-report.ts';
import type { SensorChoice } from './evaluation-setup.ts';
import { createMapWriter, type MapGrid } from './map-writer.ts';
import type { RasterSource } from './read-raster-window.ts';
import { methodFiles } from './report-folder.ts';

/** The block indices' block side (Q2n, and the block Q of D_λ, D_s, D_λ(K)). */
export const INDEX_BLOCK_PX = 32;

export interface EvaluationRun {
  readonly scene: Scene;
  /** The scene's PAN and MS over its processing region (origins at the region's). */
  readonly pan: RasterSource;
  readonly ms: RasterSource;
  readonly methods: readonly FusionMethod[];
  readonly sensor: SensorChoice;
  /** PAN Nyquist gain for Wald's degradation and where it came from (for the report). */
  readonly panGain: { readonly gain: number; readonly source: string };
  /** PSNR's bit depth; null leaves PSNR out. */
  readonly bitDepth: number | null;
  readonly outDir: string;
  readonly overwrite: boolean;
  readonly tileSizePx: number;
  readonly device: DeviceRequest;
  readonly threading: ThreadingOptions;
  /** The report's notes; protocols add theirs. */
  readonly notes: string[];
  /** Cancellation and events for the sharpen jobs and passes. */
  readonly jobCtx: JobContext;
  /** Announces the next step (its progress and log events follow). */
  startStep(label: string): void;
}

/** What a protocol leaves for the comparison maps: the grid of its outputs and each method's output file. */
export interface ProtocolOutputs {
  readonly grid: MapGrid;
  readonly paths: ReadonlyMap<string, string>;
}

export interface ProtocolOutcome {
  readonly result: ProtocolResult;
  readonly outputs: ProtocolOutputs;
}

/** A path as the report gives it: relative to the report folder. */
export function reportPath(run: EvaluationRun, path: string): string {
  return relative(run.outDir, path);
}

/** Sharpens `pan` + `ms` with `method` into the protocol's folder, as Float32 (the indices' precision). */
export async function sharpenMethod(
  run: EvaluationRun,
  protocol: Protocol,
  method: FusionMethod,
  panPath: string,
  msPath: string,
): Promise<{ outPath: string; result: SharpenResult }> {
  run.startStep(`${protocol} ${method.id}: sharpen`);
  const outPath = methodFiles(run.outDir, protocol, method.id).output;
  const result = await sharpen(
    { panPath, msPath, method: method.id, outPath, dataType: 'Float32', overwrite: run.overwrite, tileSizePx: run.tileSizePx, device: run.device },
    run.jobCtx,
  );
  return { outPath, result };
}

/** One method's row of a protocol: its indices (less the exclusion counts), output, maps and timings. */
export function methodRow(
  method: FusionMethod,
  indices: ReducedResolutionIndices | FullResolutionResult,
  files: { readonly outputPath: string; readonly maps: Record<string, string> },
  result: { readonly elapsedMs: number; readonly device: string },
  indicesStartedMs: number,
): MethodResult {
  const { excluded, ...values } = indices;
  return {
    method: method.id,
    label: method.label,
    kind: method.kind,
    modelName: method.model?.name ?? null,
    indices: values,
    excluded: { ...excluded },
    outputPath: files.outputPath,
    maps: files.maps,
    sharpenMs: result.elapsedMs,
    indicesMs: Date.now() - indicesStartedMs,
    device: result.device,
  };
}

/** Runs `use` on a new map, committing it on success and removing it on failure. */
export async function withMap<T>(writerPromise: Promise<GeoTiffWriter>, use: (w: GeoTiffWriter) => Promise<T>): Promise<T> {
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

/** Runs `use` on the dataset at `path`, closing it afterwards. */
export async function withDataset<T>(path: string, use: (ds: Dataset) => Promise<T>): Promise<T> {
  const ds = await gdal.openAsync(path);
  try {
    return await use(ds);
  } finally {
    ds.close();
  }
}

/** A fused output as a source for the passes: its whole grid, from (0, 0). */
export function outputSource(dataset: Dataset, path: string): RasterSource {
  return { dataset, path, colOff: 0, rowOff: 0 };
}

/** How a protocol assesses each method: the pair it sharpens, the grid of its SAM map and what that angle is
 * measured to, and its pass, which scores a fused output while writing the map. */
export interface MethodAssessment {
  readonly protocol: Protocol;
  readonly panPath: string;
  readonly msPath: string;
  readonly grid: MapGrid;
  /** "the reference", "the upsampled MS": the map's description and its key in the row (`samToReference`, …). */
  readonly samTo: { readonly description: string; readonly key: string };
  readonly pass: (fused: RasterSource, samMap: GeoTiffWriter) => Promise<ReducedResolutionIndices | FullResolutionResult>;
}

/** Every method of the run in turn: sharpen it, assess its output (the pass writes its SAM map), make its row. */
export async function assessEachMethod(run: EvaluationRun, a: MethodAssessment): Promise<{ paths: Map<string, string>; rows: MethodResult[] }> {
  const paths = new Map<string, string>();
  const rows: MethodResult[] = [];
  for (const method of run.methods) {
    throwIfAborted(run.jobCtx.signal);
    const { outPath, result } = await sharpenMethod(run, a.protocol, method, a.panPath, a.msPath);
    paths.set(method.id, outPath);
    run.startStep(`${a.protocol} ${method.id}: indices`);
    const t0 = Date.now();
    const mapPath = methodFiles(run.outDir, a.protocol, method.id).samMap;
    const description = `spectral angle to ${a.samTo.description}, degrees (${method.id}, ${a.protocol})`;
    const indices = await withDataset(outPath, (fusedDs) =>
      withMap(createMapWriter({ path: mapPath, grid: a.grid, description, overwrite: run.overwrite }), (samMap) =>
        a.pass(outputSource(fusedDs, outPath), samMap),
      ),
    );
    rows.push(methodRow(method, indices, { outputPath: reportPath(run, outPath), maps: { [a.samTo.key]: reportPath(run, mapPath) } }, result, t0));
  }
  return { paths, rows };
}
