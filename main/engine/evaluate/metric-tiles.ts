/**
 * @module main/engine/evaluate/metric-tiles
 * Tiles for the streaming indices: cores partition a width×height image on a grid of `coreSizePx` (a multiple of 32,
 * so Q2n and the block Q see every 32×32 block in exactly one core); each read window is its core grown by
 * `haloPx` on every side and clipped to the image (the accumulators' contract).
 */
import type { PixelWindow } from '../raster/pixel-window.ts';

export interface MetricTile {
  readonly core: PixelWindow;
  readonly read: PixelWindow;
}

export function planMetricTiles(width: number, height: number, coreSizePx: number, haloPx: number): MetricTile[] {
  if (coreSizePx <= 0 || coreSizePx % 32) throw new RangeError(`metric tile core ${coreSizePx} px is not a positive multiple of 32`);
  const tiles: MetricTile[] = [];
  for (let rowOff = 0; rowOff < height; rowOff += coreSizePx) {
    for (let colOff = 0; colOff < width; colOff += coreSizePx) {
      const core = { colOff, rowOff, width: Math.min(coreSizePx, width - colOff), height: Math.min(coreSizePx, height - rowOff) };
      const c0 = Math.max(0, colOff - haloPx);
      const r0 = Math.max(0, rowOff - haloPx);
      const c1 = Math.min(width, colOff + core.width + haloPx);
      const r1 = Math.min(height, rowOff + core.height + haloPx);
      tiles.push({ core, read: { colOff: c0, rowOff: r0, width: c1 - c0, height: r1 - r0 } });
    }
  }
  return tiles;
}

/** The `rect` (coordinates of the image) of `block`'s window `from` (also image coordinates), every band copied. */
export function cropWindow(data: Float64Array, bands: number, from: PixelWindow, rect: PixelWindow): Float64Array {
  const out = new Float64Array(bands * rect.width * rect.height);
  for (let b = 0; b < bands; b++) {
    for (let r = 0; r < rect.height; r++) {
      const src = (b * from.height + rect.rowOff - from.rowOff + r) * from.width + rect.colOff - from.colOff;
      out.set(data.subarray(src, src + rect.width), (b * rect.height + r) * rect.width);
    }
  }
  return out;
}
