/**
 * @module main/engine/service/run-quality-map
 * The spectral distortion map of a finished run, for the map view: the per-pixel spectral angle (degrees) between
 * the run's output and the MS upsampled with interp23tap, on the output's grid. It is the evaluate CLI's
 * full-resolution pass (`evaluate/full-resolution-pass.ts`) writing its SAM map through `evaluate/map-writer.ts`,
 * over the largest area whose sides are multiples of 32 and whose origin lies on the MS grid the run read (the
 * scene opened as the run opened it, `evaluate/run-inputs.ts`); pixels outside it are
 * NaN (nodata). The file appears under its name only when complete.
 */
import { InputError } from '../errors.ts';
import { defaultAssessmentThreads } from '../evaluate/assessment-pool.ts';
import { fullResolutionPass } from '../evaluate/full-resolution-pass.ts';
import { createMapWriter } from '../evaluate/map-writer.ts';
import { gdal, type Dataset } from '../io/gdal.ts';
import { openRunInputs, type RunInputs } from '../evaluate/run-inputs.ts';
import type { SceneFiles } from '../io/open-scene.ts';
import type { JobContext } from '../job-events.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';

export interface RunQualityMapOptions {
  readonly fusedPath: string;
  /** The run's scene: opened as the run opened it (`evaluate/run-inputs.ts`), so an aligned MS is read aligned. */
  readonly files: SceneFiles;
  /** Sensor name for D_λ(K)'s MTF (the pass computes it alongside the map); null = generic. */
  readonly sensor: string | null;
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

export async function writeRunQualityMap(options: RunQualityMapOptions, ctx: JobContext = {}): Promise<void> {
  const fused = await open(options.fusedPath, 'run output');
  let inputs: RunInputs | null = null;
  try {
    const fusedGt = geoTransformOf(fused, options.fusedPath, 'run output');
    const { x: fusedWidth, y: fusedHeight } = fused.rasterSize;
    inputs = await openRunInputs(options.files, { path: options.fusedPath, geoTransform: fusedGt, width: fusedWidth, height: fusedHeight });
    const { ratio } = inputs.scene;
    // A preview's origin may fall inside an MS pixel: the area starts at the next MS pixel edge (inputs.phase).
    const { col: colOff, row: rowOff } = inputs.phase;
    const width = Math.floor(inputs.width / BLOCK) * BLOCK;
    const height = Math.floor(inputs.height / BLOCK) * BLOCK;
    if (width < BLOCK || height < BLOCK) {
      throw new InputError(
        'scene-too-small',
        `run output ${options.fusedPath} is ${fusedWidth}×${fusedHeight} px; the spectral distortion map needs at least ${BLOCK}×${BLOCK} px on the MS grid`,
        {
          path: options.fusedPath,
          got: [fusedWidth, fusedHeight],
          expected: [BLOCK + colOff, BLOCK + rowOff],
        },
      );
    }
    const writer = await createMapWriter({
      path: options.outPath,
      grid: { width: fusedWidth, height: fusedHeight, geoTransform: fusedGt, crsWkt: fused.srs?.toWKT() ?? '' },
      description: SAM_MS_DESCRIPTION,
      overwrite: true,
    });
    try {
      await fullResolutionPass(
        {
          pan: inputs.pan,
          ms: inputs.ms,
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
    inputs?.close();
    fused.close();
  }
}
