/**
 * @module main/engine/evaluate/wald-degrade
 * Wald's protocol, first step: the scene's PAN and MS each MTF-filtered (the sensor's per-band Nyquist gains for the
 * MS; one PAN gain) and decimated by the ratio, as the toolbox's `resize_images` and the training data code
 * (models/panforge_models/data.py `degrade_pair`) do, streamed in strips (`mtfDegradeStrips`) into two Float32
 * GeoTIFFs that form a scene of their own: the degraded PAN on the MS grid, the degraded MS on a grid `ratio` times
 * coarser, same origin and CRS, with the scene's BIT_DEPTH and SENSOR, so any method runs on it unchanged and its
 * output lands on the original MS grid, where the original MS is the reference.
 */
import { throwIfAborted } from '../errors.ts';
import { mtfDegradeStrips } from '../dsp/mtf-degrade-strips.ts';
import { type Kernel2D, mtfKernel, mtfKernels } from '../dsp/mtf-kernel.ts';
import { GENERIC_PAN_NYQUIST_GAIN, type MtfSource } from '../dsp/sensor-mtf.ts';
import type { JobContext } from '../job-events.ts';
import { ProgressMeter } from '../job-events.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import { pixelWindow } from '../raster/pixel-window.ts';
import { GeoTiffWriter } from '../write/geotiff-writer.ts';
import { readWindow64, type RasterSource } from './read-raster-window.ts';

export interface WaldDegradeOptions {
  readonly pan: RasterSource;
  readonly ms: RasterSource;
  readonly bands: number;
  readonly bandDescriptions: readonly string[];
  /** The evaluated area on the MS grid; sides multiples of `ratio`. The PAN area is it × ratio. */
  readonly msWidth: number;
  readonly msHeight: number;
  readonly ratio: number;
  readonly sensor: MtfSource;
  /** [default GENERIC_PAN_NYQUIST_GAIN] */
  readonly panGain?: number;
  /** Georeference of the PAN area (origin, PAN pixel size). */
  readonly panGeoTransform: GeoTransform;
  readonly crsWkt: string;
  /** Set on both outputs when not null (the degraded scene keeps the original's value scale). */
  readonly bitDepth: number | null;
  readonly sensorName: string | null;
  readonly panOutPath: string;
  readonly msOutPath: string;
  /** The scene's nodata value, or null. Degraded pixels that nodata reached (NaN) are written as it, so methods see
   * the degraded scene as they see the original (a nodata DN plus a mask), not NaN, which their filters would spread. */
  readonly noData: number | null;
  readonly overwrite: boolean;
}

export interface WaldDegradeResult {
  readonly panPath: string;
  readonly msPath: string;
  readonly panGain: number;
}

async function degradeOne(
  source: RasterSource,
  bands: number,
  width: number,
  height: number,
  kernels: Kernel2D[],
  ratio: number,
  writer: GeoTiffWriter,
  meter: ProgressMeter,
  noData: number | null,
  ctx: JobContext,
): Promise<void> {
  await mtfDegradeStrips({
    width,
    height,
    bands,
    kernels,
    ratio,
    readRows: async (r0, r1) => {
      throwIfAborted(ctx.signal);
      return readWindow64(source, pixelWindow(0, r0, width, r1 - r0));
    },
    writeRows: async (row0, block) => {
      const data = Float32Array.from(block.data);
      if (noData !== null) for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = noData;
      await writer.write(pixelWindow(0, row0, block.width, block.height), { ...block, data });
      meter.tileDone(block.width * block.height * ratio * ratio);
    },
  });
}

export async function waldDegrade(options: WaldDegradeOptions, ctx: JobContext = {}): Promise<WaldDegradeResult> {
  const { ratio, msWidth, msHeight, bands } = options;
  const panGain = options.panGain ?? GENERIC_PAN_NYQUIST_GAIN;
  const msKernels = mtfKernels(options.sensor, bands, ratio);
  const panKernel = mtfKernel(panGain, ratio);
  const gt = options.panGeoTransform;
  const metadata: Record<string, string> = {
    PANFORGE_DEGRADED: `Wald's protocol: MTF-filtered and decimated by ${ratio}`,
    ...(options.bitDepth !== null ? { BIT_DEPTH: String(options.bitDepth) } : {}),
    ...(options.sensorName ? { SENSOR: options.sensorName } : {}),
  };
  const common = {
    dataType: 'Float32' as const,
    crsWkt: options.crsWkt,
    noData: options.noData,
    compression: 'ZSTD' as const,
    overwrite: options.overwrite,
    metadata,
  };
  const panWriter = await GeoTiffWriter.create({
    ...common,
    path: options.panOutPath,
    width: msWidth,
    height: msHeight,
    bandDescriptions: ['PAN'],
    geoTransform: [gt[0], gt[1] * ratio, 0, gt[3], 0, gt[5] * ratio],
  });
  let msWriter: GeoTiffWriter | null = null;
  try {
    msWriter = await GeoTiffWriter.create({
      ...common,
      path: options.msOutPath,
      width: msWidth / ratio,
      height: msHeight / ratio,
      bandDescriptions: options.bandDescriptions,
      geoTransform: [gt[0], gt[1] * ratio * ratio, 0, gt[3], 0, gt[5] * ratio * ratio],
    });
    // One progress "tile" per strip of 32 output rows; pixels counted at the source resolution of each pass.
    const strips = Math.ceil(msHeight / 32) + Math.ceil(msHeight / ratio / 32);
    const meter = new ProgressMeter(strips, msWidth * msHeight * ratio * ratio + msWidth * msHeight, (e) => ctx.onEvent?.(e));
    await degradeOne(options.pan, 1, msWidth * ratio, msHeight * ratio, [panKernel], ratio, panWriter, meter, options.noData, ctx);
    await degradeOne(options.ms, bands, msWidth, msHeight, msKernels, ratio, msWriter, meter, options.noData, ctx);
    await panWriter.commit();
    await msWriter.commit();
  } catch (err) {
    panWriter.abort();
    msWriter?.abort();
    throw err;
  }
  return { panPath: options.panOutPath, msPath: options.msOutPath, panGain };
}
