/**
 * @module main/engine/metrics/shape-check
 * The input contracts every index shares: same shape for the two images it compares, a minimum size for the
 * block indices. Violations are the user's input (InputError), with both shapes in the message.
 */
import { InputError } from '../errors.ts';
import type { BandBlock, PixelArray } from '../raster/band-block.ts';

/** `bands×rows×cols`, the order of the toolbox arrays (bands, rows, cols). */
export function shapeOf(b: BandBlock<PixelArray>): string {
  return `${b.bands}×${b.height}×${b.width}`;
}

function assertConsistent(b: BandBlock<PixelArray>, name: string): void {
  if (b.data.length !== b.bands * b.width * b.height) {
    throw new Error(`${name}: data has ${b.data.length} values, expected ${b.bands}×${b.height}×${b.width} = ${b.bands * b.width * b.height}`);
  }
}

/** Both images must have the same band count, width and height. */
export function assertSameShape(a: BandBlock<PixelArray>, b: BandBlock<PixelArray>, names: readonly [string, string], index: string): void {
  assertConsistent(a, names[0]);
  assertConsistent(b, names[1]);
  if (a.bands !== b.bands || a.width !== b.width || a.height !== b.height) {
    throw new InputError(
      'shape-mismatch',
      `${index}: ${names[0]} is ${shapeOf(a)} and ${names[1]} is ${shapeOf(b)} (bands×rows×cols); expected the same shape`,
      { index, [names[0]]: [a.bands, a.height, a.width], [names[1]]: [b.bands, b.height, b.width] },
    );
  }
}

/** Same width and height (band counts may differ, e.g. MS against PAN). */
export function assertSameGrid(a: BandBlock<PixelArray>, b: BandBlock<PixelArray>, names: readonly [string, string], index: string): void {
  assertConsistent(a, names[0]);
  assertConsistent(b, names[1]);
  if (a.width !== b.width || a.height !== b.height) {
    throw new InputError(
      'shape-mismatch',
      `${index}: ${names[0]} is ${a.height}×${a.width} px and ${names[1]} is ${b.height}×${b.width} px (rows×cols); expected the same size`,
      {
        index,
        [names[0]]: [a.bands, a.height, a.width],
        [names[1]]: [b.bands, b.height, b.width],
      },
    );
  }
}

/** At least `rows`×`cols` pixels (e.g. one 32×32 block for the block indices). */
export function assertMinSize(b: BandBlock<PixelArray>, rows: number, cols: number, index: string, why: string): void {
  if (b.height < rows || b.width < cols) {
    throw new InputError('image-too-small', `${index}: image is ${b.height}×${b.width} px (rows×cols); needs at least ${rows}×${cols} (${why})`, {
      index,
      got: [b.height, b.width],
      expected: [rows, cols],
    });
  }
}

export function assertBandCount(b: BandBlock<PixelArray>, bands: number, name: string, index: string): void {
  if (b.bands !== bands) {
    throw new InputError('band-count', `${index}: ${name} has ${b.bands} bands; expected ${bands}`, { index, got: b.bands, expected: bands });
  }
}
