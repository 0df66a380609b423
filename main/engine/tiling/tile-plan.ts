/**
 * @module main/engine/tiling/tile-plan
 * Cuts a processing region (PAN grid) into tiles. Each tile has a core (the pixels it contributes to the output)
 * and a read window: the core's origin minus the overlap, always `tileSizePx + 2·overlapPx` square, so every tile
 * has the same shape (one kernel choice per session) and a model sees real context on all sides. Parts of a read
 * window outside the region are filled by mirror padding (read-tile.ts). Tiles step from the region's origin (an MS
 * pixel corner) in multiples of the ratio, so each MS window is exactly its PAN window divided by the ratio.
 */
import { expandWindow, intersectWindows, pixelWindow, type PixelWindow } from '../raster/pixel-window.ts';
import { leastCommonMultiple } from '../numeric/least-common-multiple.ts';

export interface TilePlanOptions {
  /** The processing region on the PAN grid: origin on an MS pixel corner, size a multiple of `ratio`. */
  readonly region: PixelWindow;
  readonly ratio: number;
  /** Core size in PAN pixels [default 512]; rounded up to a multiple of `multiplePx`. */
  readonly tileSizePx: number;
  /** Context on each side in PAN pixels; rounded up to a multiple of `ratio`. */
  readonly overlapPx: number;
  /** The read window must be a multiple of this (a network's down-sampling factor); at least `ratio`. */
  readonly multiplePx: number;
}

export interface Tile {
  readonly index: number;
  readonly row: number;
  readonly col: number;
  /** Output pixels, in scene PAN pixel coordinates, inside the region. */
  readonly core: PixelWindow;
  /** What the method sees, in scene PAN pixel coordinates; may reach outside the region (padded). */
  readonly read: PixelWindow;
}

export interface TilePlan {
  readonly region: PixelWindow;
  readonly ratio: number;
  readonly tileSizePx: number;
  readonly overlapPx: number;
  /** Side of every read window, PAN pixels. */
  readonly readSizePx: number;
  readonly rows: number;
  readonly cols: number;
  readonly tiles: readonly Tile[];
}

function roundUpTo(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

export function planTiles(options: TilePlanOptions): TilePlan {
  const { region, ratio } = options;
  if (!Number.isInteger(ratio) || ratio < 1) throw new RangeError(`ratio must be a positive integer, got ${ratio}`);
  if (region.width % ratio || region.height % ratio) {
    // The region's origin lies on an MS pixel corner (open-scene guarantees it); its size must be whole MS pixels.
    throw new RangeError(`region ${JSON.stringify(region)} is not a whole number of MS pixels (ratio ${ratio})`);
  }
  const multiple = leastCommonMultiple(Math.max(1, options.multiplePx), ratio);
  const overlapPx = roundUpTo(Math.max(0, options.overlapPx), ratio);
  // read = tile + 2·overlap must be a multiple of `multiple`; grow the tile to make it so.
  let tileSizePx = roundUpTo(Math.max(ratio, options.tileSizePx), ratio);
  while ((tileSizePx + 2 * overlapPx) % multiple !== 0) tileSizePx += ratio;
  // Never bigger than needed: a small region gets one tile just covering it (still a valid multiple).
  const maxSide = Math.max(region.width, region.height);
  if (tileSizePx > maxSide) {
    let shrunk = roundUpTo(maxSide, ratio);
    while ((shrunk + 2 * overlapPx) % multiple !== 0) shrunk += ratio;
    tileSizePx = Math.min(tileSizePx, shrunk);
  }
  const cols = Math.ceil(region.width / tileSizePx);
  const rows = Math.ceil(region.height / tileSizePx);
  const tiles: Tile[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const cell = pixelWindow(region.colOff + col * tileSizePx, region.rowOff + row * tileSizePx, tileSizePx, tileSizePx);
      // Non-null: the cell's origin lies inside the region.
      const core = intersectWindows(cell, region)!;
      tiles.push({ index: tiles.length, row, col, core, read: expandWindow(cell, overlapPx) });
    }
  }
  return { region, ratio, tileSizePx, overlapPx, readSizePx: tileSizePx + 2 * overlapPx, rows, cols, tiles };
}
