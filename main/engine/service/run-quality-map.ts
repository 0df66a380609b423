/**
 * @module main/engine/service/run-quality-map
 * The spectral distortion map of a finished run, for the map view: the per-pixel spectral angle (degrees) between
 * the run's output and the MS upsampled with interp23tap, on the output's grid. It is the evaluate CLI's
 * full-resolution pass (`evaluate/full-resolution-pass.ts`) writing its SAM map through `evaluate/map-writer.ts`,
 * over the largest area whose sides are multiples of 32 and whose origin lies on the MS grid; pixels outside it are
 * NaN (nodata). The file appears under its name only when complete.
 */
import { InputError } from '../errors.ts';
import { defaultAssessmentThreads } from '../evaluate/assessment-pool.ts';
import { fullResolutionPass } from '../evaluate/full-resolution-pass.ts';
import { createMapWriter } from '../evaluate/map-writer.ts';
import { gdal, type Dataset } from '../io/gdal.ts';
import type { JobContext } from '../jobs/job-events.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';

export interface RunQualityMapOptions {
  readonly fusedPath: string;
  readonly panPath: string;
  readonly msPath: string;
  /** Sensor name for D_λ(K)'s MTF (the pass computes it alongside the map); null = generic. */
  readonly sensor: string | null;
  readonly ratio: number;
  /** Where the map goes (a .tif); replaced if it exists (it is derived from this run only). */
  readonly outPath: string;
}

/** Band description of the map, also its legend's source of the unit. */
export const SAM_MS_DESCRIPTION = 'spectral angle to the upsampled MS, degrees';

/** The map's area sides are multiples of this (the block indices computed by the same pass need it). */
const BLOCK = 32;

async function open(path: string, role: string): Promise<Dataset> {
  try {
    return await gdal.openAsync(path);
  } catch (err) {
    throw new InputError('open-failed', `cannot open ${role} ${path}: ${err instanceof Error ? err.message.trim() : String(err)}`, { path });
  }
}

function geoTransformOf(ds: Dataset, path: string, role: string): GeoTransform {
  const gt = ds.geoTransform;
  if (!gt) throw new InputError('not-georeferenced', `${role} ${path} has no geotransform`, { path });
  return gt as unknown as GeoTransform;
}

/** Pixel of `gt` at map point (x, y), or an InputError when it is not a whole pixel (grids not aligned). */
function wholePixel(gt: GeoTransform, x: number, y: number, path: string, role: string): [number, number] {
  const col = (x - gt[0]) / gt[1];
  const row = (y - gt[3]) / gt[5];
  if (Math.abs(col - Math.round(col)) > 1e-6 || Math.abs(row - Math.round(row)) > 1e-6) {
    throw new InputError('grid-misaligned', `${role} ${path}: the point (${x}, ${y}) falls at pixel (${col}, ${row}); expected a whole pixel (the grids must be aligned)`, { path, got: [col, row] });
  }
  return [Math.round(col), Math.round(row)];
}

export async function writeRunQualityMap(options: RunQualityMapOptions, ctx: JobContext = {}): Promise<void> {
  const { ratio } = options;
  const fused = await open(options.fusedPath, 'run output');
  const pan = await open(options.panPath, 'PAN');
  const ms = await open(options.msPath, 'MS');
  try {
    const fusedGt = geoTransformOf(fused, options.fusedPath, 'run output');
    const panGt = geoTransformOf(pan, options.panPath, 'PAN');
    const msGt = geoTransformOf(ms, options.msPath, 'MS');
    const [panCol0, panRow0] = wholePixel(panGt, fusedGt[0], fusedGt[3], options.panPath, 'PAN');
    // A preview's origin may fall inside an MS pixel: start the area at the next MS pixel edge.
    const colOff = (ratio - (panCol0 % ratio)) % ratio;
    const rowOff = (ratio - (panRow0 % ratio)) % ratio;
    const { x: fusedWidth, y: fusedHeight } = fused.rasterSize;
    const width = Math.floor((fusedWidth - colOff) / BLOCK) * BLOCK;
    const height = Math.floor((fusedHeight - rowOff) / BLOCK) * BLOCK;
    if (width < BLOCK || height < BLOCK) {
      throw new InputError('scene-too-small', `run output ${options.fusedPath} is ${fusedWidth}×${fusedHeight} px; the spectral distortion map needs at least ${BLOCK}×${BLOCK} px on the MS grid`, {
        path: options.fusedPath,
        got: [fusedWidth, fusedHeight],
        expected: [BLOCK + colOff, BLOCK + rowOff],
      });
    }
    const [msCol, msRow] = wholePixel(msGt, fusedGt[0] + colOff * fusedGt[1], fusedGt[3] + rowOff * fusedGt[5], options.msPath, 'MS');
    const writer = await createMapWriter({
      path: options.outPath,
      grid: { width: fusedWidth, height: fusedHeight, geoTransform: fusedGt, crsWkt: fused.srs?.toWKT() ?? '' },
      description: SAM_MS_DESCRIPTION,
      overwrite: true,
    });
    try {
      await fullResolutionPass(
        {
          pan: { dataset: pan, path: options.panPath, colOff: panCol0 + colOff, rowOff: panRow0 + rowOff },
          ms: { dataset: ms, path: options.msPath, colOff: msCol, rowOff: msRow },
          fused: { dataset: fused, path: options.fusedPath, colOff, rowOff },
          bands: fused.bands.count(),
          width,
          height,
          ratio,
          sensor: options.sensor ?? 'generic',
          samMap: writer,
          mapOffset: { colOff, rowOff },
          // a whole-scene map: spread the tile computation over the cores (bit-identical to one thread)
          threads: defaultAssessmentThreads(),
        },
        ctx,
      );
      await writer.commit();
    } catch (err) {
      writer.abort();
      throw err;
    }
  } finally {
    ms.close();
    pan.close();
    fused.close();
  }
}
