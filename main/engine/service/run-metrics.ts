/**
 * @module main/engine/service/run-metrics
 * Quality indices of a finished run for the metrics panel: the full-resolution (no reference) indices D_λ, D_s,
 * QNR, D_λ(K) and HQNR of `metrics/full-resolution.ts`, on a centred window of the output (whole MS pixels), so the
 * panel answers in about a second on any scene size. The window is stated in the report; nothing is estimated.
 */
import type { MetricIndex, MetricsReport, SceneFiles } from '../../../preload/contract.ts';
import { describeError, InputError } from '../errors.ts';
import { openRaster } from '../io/raster-info.ts';
import { fullResolutionIndices } from '../metrics/full-resolution.ts';
import type { BandBlock } from '../raster/band-block.ts';

export interface RunMetricsOptions {
  readonly jobId: string;
  readonly fusedPath: string;
  readonly files: SceneFiles;
  readonly sensor: string | null;
  readonly ratio: number;
  /** Side of the centred window, PAN pixels [default 256]. */
  readonly windowPx?: number;
}

async function readBlock(path: string, role: string, colOff: number, rowOff: number, width: number, height: number): Promise<BandBlock<Float64Array>> {
  const ds = await openRaster(path, role);
  try {
    const bands = ds.bands.count();
    const data = new Float64Array(bands * width * height);
    for (let b = 0; b < bands; b++) {
      await ds.bands.get(b + 1).pixels.readAsync(colOff, rowOff, width, height, data.subarray(b * width * height, (b + 1) * width * height));
    }
    return { bands, width, height, data };
  } finally {
    ds.close();
  }
}

async function geoTransformOf(path: string, role: string): Promise<{ gt: number[]; width: number; height: number }> {
  const ds = await openRaster(path, role);
  try {
    if (!ds.geoTransform) throw new InputError('not-georeferenced', `${role} ${path} has no geotransform`, { path });
    return { gt: ds.geoTransform, width: ds.rasterSize.x, height: ds.rasterSize.y };
  } finally {
    ds.close();
  }
}

function pixelOffset(gt: number[], x: number, y: number): [number, number] {
  return [(x - gt[0]!) / gt[1]!, (y - gt[3]!) / gt[5]!];
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
  const { ratio } = options;
  const fused = await geoTransformOf(options.fusedPath, 'fused');
  const pan = await geoTransformOf(options.files.panPath, 'PAN');
  const ms = await geoTransformOf(options.files.msPath, 'MS');
  // Window on whole MS pixels: side a multiple of 32·ratio/4 blocks, origin on the MS grid.
  const side = Math.min(options.windowPx ?? 256, Math.floor(Math.min(fused.width, fused.height) / (8 * ratio)) * 8 * ratio);
  if (side < 8 * ratio) {
    return { jobId: options.jobId, status: 'failed', protocol: 'full resolution', note: `output ${fused.width}×${fused.height} px is too small for the indices (needs ≥ ${8 * ratio} px)`, indices: [], elapsedMs: 0 };
  }
  const [panCol0, panRow0] = pixelOffset(pan.gt, fused.gt[0]!, fused.gt[3]!).map(Math.round) as [number, number];
  let col = Math.floor((fused.width - side) / 2);
  let row = Math.floor((fused.height - side) / 2);
  col -= (panCol0 + col) % ratio;
  row -= (panRow0 + row) % ratio;
  const x = fused.gt[0]! + col * fused.gt[1]!;
  const y = fused.gt[3]! + row * fused.gt[5]!;
  const [msCol, msRow] = pixelOffset(ms.gt, x, y);
  if (Math.abs(msCol - Math.round(msCol)) > 1e-6 || Math.abs(msRow - Math.round(msRow)) > 1e-6) {
    return { jobId: options.jobId, status: 'failed', protocol: 'full resolution', note: `the MS grid is not aligned with the output at (${x}, ${y}) (MS pixel ${msCol}, ${msRow}); the indices need an aligned MS`, indices: [], elapsedMs: 0 };
  }
  try {
    const indices = fullResolutionIndices({
      fused: await readBlock(options.fusedPath, 'fused', col, row, side, side),
      pan: await readBlock(options.files.panPath, 'PAN', panCol0 + col, panRow0 + row, side, side),
      msLr: await readBlock(options.files.msPath, 'MS', Math.round(msCol), Math.round(msRow), side / ratio, side / ratio),
      sensor: options.sensor ?? 'generic',
      ratio,
    });
    const list: MetricIndex[] = Object.entries(indices)
      .filter((e): e is [string, number] => typeof e[1] === 'number' && e[0] in DIRECTIONS)
      .map(([name, value]) => ({ name, value, ...DIRECTIONS[name]! }));
    return {
      jobId: options.jobId,
      status: 'ok',
      protocol: 'full resolution (no reference)',
      note: `on the centred ${side}×${side} PAN-pixel window at output pixel (${col}, ${row}); sensor MTF: ${options.sensor ?? 'generic'}`,
      indices: list,
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    const e = describeError(err);
    return { jobId: options.jobId, status: 'failed', protocol: 'full resolution', note: `${e.code}: ${e.message}`, indices: [], elapsedMs: Date.now() - started };
  }
}
