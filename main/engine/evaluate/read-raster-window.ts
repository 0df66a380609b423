/**
 * @module main/engine/evaluate/read-raster-window
 * Reads raster windows as Float64 for the quality indices, with every band's nodata value turned into NaN (the
 * indices' rule for "leave this pixel out", valid-pixels.ts). Two forms: a plain window, and a gather of arbitrary
 * row/column index lists (used for the circular borders of interp23tap), read as a few contiguous rectangles.
 */
import { InputError } from '../errors.ts';
import type { Dataset } from '../io/gdal.ts';
import type { BandBlock } from '../raster/band-block.ts';
import { containsWindow, pixelWindow, type PixelWindow, rasterWindow, translateWindow } from '../raster/pixel-window.ts';

/** A dataset, the file it came from (for messages), and the origin of the area being evaluated on it. */
export interface RasterSource {
  readonly dataset: Dataset;
  readonly path: string;
  /** Pixel of `dataset` that is (0, 0) for the windows below. */
  readonly colOff: number;
  readonly rowOff: number;
}

/** The source must hold `bands` bands and a width×height area from its origin (InputError naming the file). */
export function checkSource(source: RasterSource, role: string, bands: number, width: number, height: number): void {
  const ds = source.dataset;
  const got = ds.bands.count();
  if (got !== bands) {
    throw new InputError('band-count', `${role} ${source.path} has ${got} bands; expected ${bands} (the same bands as the image it is compared with)`, {
      path: source.path,
      got,
      expected: bands,
    });
  }
  const { x, y } = ds.rasterSize;
  if (!containsWindow(rasterWindow(x, y), pixelWindow(source.colOff, source.rowOff, width, height))) {
    throw new InputError(
      'shape-mismatch',
      `${role} ${source.path} is ${x}×${y} px; expected a ${width}×${height} px area at pixel (${source.colOff}, ${source.rowOff}) (the grid of the image it is compared with)`,
      { path: source.path, got: [x, y], expected: [width, height], offset: [source.colOff, source.rowOff] },
    );
  }
}

/** Reads `window` (relative to the source's origin) of one band into `into`. */
async function readRect(source: RasterSource, bandNumber: number, window: PixelWindow, into: Float64Array): Promise<void> {
  const { colOff, rowOff, width, height } = translateWindow(window, source.colOff, source.rowOff);
  try {
    await source.dataset.bands.get(bandNumber).pixels.readAsync(colOff, rowOff, width, height, into, { data_type: 'Float64' });
  } catch (err) {
    throw new InputError(
      'read-failed',
      `cannot read band ${bandNumber} of ${source.path} at pixel (${colOff}, ${rowOff}) size ${width}×${height}: ${err instanceof Error ? err.message.trim() : String(err)}`,
      {
        path: source.path,
        bandNumber,
      },
    );
  }
}

function noDataToNaN(values: Float64Array, noData: number | null): void {
  if (noData === null || Number.isNaN(noData)) return;
  for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
}

/** Every band of `window` (relative to the source's origin), nodata → NaN. */
export async function readWindow64(source: RasterSource, window: PixelWindow): Promise<BandBlock<Float64Array>> {
  const bands = source.dataset.bands.count();
  const plane = window.width * window.height;
  const data = new Float64Array(bands * plane);
  for (let b = 0; b < bands; b++) {
    const view = data.subarray(b * plane, (b + 1) * plane);
    await readRect(source, b + 1, window, view);
    noDataToNaN(view, source.dataset.bands.get(b + 1).noDataValue);
  }
  return { bands, width: window.width, height: window.height, data };
}

/** Maximal runs of consecutive indices: [start index in the list, first value, length]. */
function runs(indices: Int32Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  let i = 0;
  while (i < indices.length) {
    let j = i + 1;
    while (j < indices.length && indices[j] === indices[j - 1]! + 1) j++;
    out.push([i, indices[i]!, j - i]);
    i = j;
  }
  return out;
}

/**
 * Pixel (r, c) of the result is source pixel (rowIndices[r], colIndices[c]); nodata → NaN. Wrapped index lists are
 * a few runs each, so this costs a few small reads per band, never the whole raster.
 */
export async function gatherWindow64(source: RasterSource, rowIndices: Int32Array, colIndices: Int32Array): Promise<BandBlock<Float64Array>> {
  const bands = source.dataset.bands.count();
  const width = colIndices.length;
  const height = rowIndices.length;
  const data = new Float64Array(bands * width * height);
  const rowRuns = runs(rowIndices);
  const colRuns = runs(colIndices);
  for (let b = 0; b < bands; b++) {
    const noData = source.dataset.bands.get(b + 1).noDataValue;
    const plane = data.subarray(b * width * height, (b + 1) * width * height);
    for (const [r0, rowStart, rowCount] of rowRuns) {
      for (const [c0, colStart, colCount] of colRuns) {
        const rect = new Float64Array(rowCount * colCount);
        await readRect(source, b + 1, pixelWindow(colStart, rowStart, colCount, rowCount), rect);
        for (let r = 0; r < rowCount; r++) plane.set(rect.subarray(r * colCount, (r + 1) * colCount), (r0 + r) * width + c0);
      }
    }
    noDataToNaN(plane, noData);
  }
  return { bands, width, height, data };
}
