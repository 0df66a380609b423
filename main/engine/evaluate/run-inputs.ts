/**
 * @module main/engine/evaluate/run-inputs
 * A run's inputs on its output grid: the scene opened exactly as the run opened it (`openScene`, so an MS the app
 * had to align or resample is read through the same warped VRT), with the PAN and MS placed relative to the run
 * output's origin. Everything computed after a run (metrics, quality maps) starts here, so it measures against
 * the inputs the run used, whatever alignment that took.
 */
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import type { RasterSource } from './read-raster-window.ts';
import type { GeoTransform } from '../raster/geo-transform.ts';
import { openScene, type Scene, type SceneFiles } from '../io/open-scene.ts';

export interface OutputGrid {
  readonly path: string;
  readonly geoTransform: GeoTransform;
  readonly width: number;
  readonly height: number;
}

export interface RunInputs {
  readonly scene: Scene;
  /** Output pixel of the first MS pixel edge at or after the output's origin (0 … ratio − 1 on each axis). */
  readonly phase: { readonly col: number; readonly row: number };
  /** Output pixels from `phase` that both the output and the scene's processing region cover, multiples of ratio. */
  readonly width: number;
  readonly height: number;
  /** The PAN with its origin at output pixel `phase`. */
  readonly pan: RasterSource;
  /** The MS as the run read it (the file, or its aligned/resampled VRT), origin at output pixel `phase`. */
  readonly ms: RasterSource;
  close(): void;
}

/** Grids agree when their origins differ by less than this fraction of a PAN pixel (float noise of geotransforms). */
const ORIGIN_TOLERANCE = 1e-3;

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Opens the scene of `files` and places it on `output`'s grid (InputError when the output is not on the PAN grid). */
export async function openRunInputs(files: SceneFiles, output: OutputGrid): Promise<RunInputs> {
  const scene = await openScene(files);
  try {
    const panGt = scene.pan.geoTransform!;
    const outGt = output.geoTransform;
    const sameStep =
      Math.abs(outGt[1] - panGt[1]) <= ORIGIN_TOLERANCE * Math.abs(panGt[1]) && Math.abs(outGt[5] - panGt[5]) <= ORIGIN_TOLERANCE * Math.abs(panGt[5]);
    const colF = (outGt[0] - panGt[0]) / panGt[1];
    const rowF = (outGt[3] - panGt[3]) / panGt[5];
    const panCol = Math.round(colF);
    const panRow = Math.round(rowF);
    if (!sameStep || Math.abs(colF - panCol) > ORIGIN_TOLERANCE || Math.abs(rowF - panRow) > ORIGIN_TOLERANCE) {
      throw new InputError(
        'grid-misaligned',
        `${basename(output.path)} is not on the PAN grid of ${basename(files.panPath)}: its origin falls at PAN pixel (${colF}, ${rowF}) with pixel ${outGt[1]}×${outGt[5]} (PAN ${panGt[1]}×${panGt[5]}); expected a run output of this scene`,
        { path: output.path, got: [colF, rowF], expected: 'whole PAN pixels' },
      );
    }
    const { ratio, region, msRegion } = scene;
    // Output pixel (c, r) is PAN pixel (panCol + c, panRow + r); MS pixel edges lie every `ratio` from the region's origin.
    const phaseCol = mod(region.colOff - panCol, ratio);
    const phaseRow = mod(region.rowOff - panRow, ratio);
    const startCol = Math.max(panCol + phaseCol, region.colOff);
    const startRow = Math.max(panRow + phaseRow, region.rowOff);
    const col = startCol - panCol;
    const row = startRow - panRow;
    const endCol = Math.min(panCol + output.width, region.colOff + region.width);
    const endRow = Math.min(panRow + output.height, region.rowOff + region.height);
    const width = Math.max(0, Math.floor((endCol - startCol) / ratio) * ratio);
    const height = Math.max(0, Math.floor((endRow - startRow) / ratio) * ratio);
    return {
      scene,
      phase: { col, row },
      width,
      height,
      pan: { dataset: scene.panDataset, path: files.panPath, colOff: startCol, rowOff: startRow },
      ms: {
        dataset: scene.msDataset,
        path: files.msPath,
        colOff: msRegion.colOff + (startCol - region.colOff) / ratio,
        rowOff: msRegion.rowOff + (startRow - region.rowOff) / ratio,
      },
      close: () => scene.close(),
    };
  } catch (err) {
    scene.close();
    throw err;
  }
}
