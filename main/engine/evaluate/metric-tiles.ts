/**
 * @module main/engine/evaluate/metric-tiles
 * Tiles for the streaming indices: cores partition a width×height image on a grid of `coreSizePx` (a multiple of 32,
 * so Q2n and the block Q see every 32×32 block in exactly one core); each read window is its core grown by
 * `haloPx` on every side and clipped to the image (the accumulators' contract).
 */
import { expandWindow, intersectWindows, pixelWindow, type PixelWindow, rasterWindow } from '../raster/pixel-window.ts';

export interface MetricTile {
  readonly core: PixelWindow;
  readonly read: PixelWindow;
}

export function planMetricTiles(width: number, height: number, coreSizePx: number, haloPx: number): MetricTile[] {
  if (coreSizePx <= 0 || coreSizePx % 32) throw new RangeError(`metric tile core ${coreSizePx} px is not a positive multiple of 32`);
  const image = rasterWindow(width, height);
  const tiles: MetricTile[] = [];
  for (let rowOff = 0; rowOff < height; rowOff += coreSizePx) {
    for (let colOff = 0; colOff < width; colOff += coreSizePx) {
      // Both non-null: the core's origin lies inside the image.
      const core = intersectWindows(pixelWindow(colOff, rowOff, coreSizePx, coreSizePx), image)!;
      tiles.push({ core, read: intersectWindows(expandWindow(core, haloPx), image)! });
    }
  }
  return tiles;
}
