/**
 * @module main/engine/service/run-metrics
 * Quality indices of a finished run for the metrics panel: the full-resolution (no reference) indices D_λ, D_s,
 * QNR, D_λ(K) and HQNR of `metrics/full-resolution.ts`, on a centred window of the output (whole MS pixels), so the
 * panel answers in about a second on any scene size. The window is stated in the report; nothing is estimated.
 */
import type { MetricIndex, MetricsReport, SceneFiles } from '../../../preload/contract.ts';
import { describeError, InputError } from '../errors.ts';
import { readWindow64, type RasterSource } from '../evaluate/read-raster-window.ts';
import { openRunInputs, type OutputGrid, type RunInputs } from '../evaluate/run-inputs.ts';
import type { Dataset } from '../io/gdal.ts';
import { openRaster } from '../io/raster-info.ts';
import { fullResolutionIndices } from '../metrics/full-resolution.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import { leastCommonMultiple } from '../numeric/least-common-multiple.ts';

export interface RunMetricsOptions {
  readonly jobId: string;
  readonly fusedPath: string;
  readonly files: SceneFiles;
  readonly sensor: string | null;
  /** Side of the centred window, PAN pixels [default 256]. */
  readonly windowPx?: number;
}

async function outputGrid(path: string): Promise<OutputGrid> {
  const ds = await openRaster(path, 'run output');
  try {
    if (!ds.geoTransform) throw new InputError('not-georeferenced', `run output ${path} has no geotransform`, { path });
    return { path, geoTransform: ds.geoTransform as unknown as GeoTransform, width: ds.rasterSize.x, height: ds.rasterSize.y };
  } finally {
    ds.close();
  }
}

const DIRECTIONS: Record<string, Pick<MetricIndex, 'better' | 'ideal'>> = {
  D_lambda: { better: 'lower', ideal: 0 },
  D_s: { better: 'lower', ideal: 0 },
  QNR: { better: 'higher', ideal: 1 },
  D_lambda_K: { better: 'lower', ideal: 0 },
  HQNR: { better: 'higher', ideal: 1 },
};

export async function computeRunMetrics(options: RunMetricsOptions): Promise<MetricsReport> {
  const started = Date.now();
  const failed = (note: string): MetricsReport => ({
    jobId: options.jobId,
    status: 'failed',
    protocol: 'full resolution',
    note,
    window: null,
    indices: [],
    elapsedMs: Date.now() - started,
  });
  let inputs: RunInputs | null = null;
  let fused: Dataset | null = null;
  try {
    const grid = await outputGrid(options.fusedPath);
    // The inputs exactly as the run read them (an MS the app aligned is read through the same VRT).
    inputs = await openRunInputs(options.files, grid);
    const { ratio } = inputs.scene;
    const sensor = options.sensor ?? 'generic';
    // Window on whole MS pixels, centred in the area both the output and the scene cover; its side is a multiple of
    // 32 (the block Q of D_λ and D_s) and of 8·ratio (8 MS pixels, for the MS-scale blocks).
    const unit = leastCommonMultiple(32, 8 * ratio);
    const side = Math.floor(Math.min(options.windowPx ?? 256, inputs.width, inputs.height) / unit) * unit;
    if (side < unit) return failed(`output ${grid.width}×${grid.height} px is too small for the indices (needs ≥ ${unit}×${unit} px on the MS grid)`);
    const col = Math.floor((inputs.width - side) / 2 / ratio) * ratio;
    const row = Math.floor((inputs.height - side) / 2 / ratio) * ratio;
    fused = await openRaster(options.fusedPath, 'run output');
    const fusedSource: RasterSource = { dataset: fused, path: options.fusedPath, colOff: inputs.phase.col, rowOff: inputs.phase.row };
    const window = { colOff: col, rowOff: row, width: side, height: side };
    const msWindow = { colOff: col / ratio, rowOff: row / ratio, width: side / ratio, height: side / ratio };
    const indices = fullResolutionIndices({
      fused: await readWindow64(fusedSource, window),
      pan: await readWindow64(inputs.pan, window),
      msLr: await readWindow64(inputs.ms, msWindow),
      sensor,
      ratio,
    });
    const list: MetricIndex[] = Object.entries(indices)
      .filter((e): e is [string, number] => typeof e[1] === 'number' && e[0] in DIRECTIONS)
      .map(([name, value]) => ({ name, value, ...DIRECTIONS[name]! }));
    const outCol = inputs.phase.col + col;
    const outRow = inputs.phase.row + row;
    const x = grid.geoTransform[0] + outCol * grid.geoTransform[1];
    const y = grid.geoTransform[3] + outRow * grid.geoTransform[5];
    return {
      jobId: options.jobId,
      status: 'ok',
      protocol: 'full resolution (no reference)',
      note: `on the centred ${side}×${side} PAN-pixel window at output pixel (${outCol}, ${outRow}) = map (${formatCoordinate(x)}, ${formatCoordinate(y)}) of the ${grid.width}×${grid.height} output; sensor MTF: ${sensor}`,
      window: { width: side, height: side, outputWidth: grid.width, outputHeight: grid.height },
      indices: list,
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    const e = describeError(err);
    return failed(`${e.code}: ${e.message}`);
  } finally {
    fused?.close();
    inputs?.close();
  }
}

/** Enough decimals for degrees (1e-7° ≈ 1 cm) and metres alike. */
function formatCoordinate(v: number): string {
  return Math.abs(v) <= 360 ? v.toFixed(7) : v.toFixed(2);
}
