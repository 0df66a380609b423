/**
 * @module main/engine/raster/pixel-window
 * A rectangle of pixels on some raster's grid (rasterio's Window). Plain immutable values and pure functions.
 */

export interface PixelWindow {
  readonly colOff: number;
  readonly rowOff: number;
  readonly width: number;
  readonly height: number;
}

export function pixelWindow(colOff: number, rowOff: number, width: number, height: number): PixelWindow {
  if (!(width >= 0 && height >= 0)) throw new RangeError(`invalid window size ${width}x${height}`);
  return { colOff, rowOff, width, height };
}

export function intersectWindows(a: PixelWindow, b: PixelWindow): PixelWindow | null {
  const col0 = Math.max(a.colOff, b.colOff);
  const row0 = Math.max(a.rowOff, b.rowOff);
  const col1 = Math.min(a.colOff + a.width, b.colOff + b.width);
  const row1 = Math.min(a.rowOff + a.height, b.rowOff + b.height);
  if (col1 <= col0 || row1 <= row0) return null;
  return { colOff: col0, rowOff: row0, width: col1 - col0, height: row1 - row0 };
}

/** Grows a window by `marginPx` on every side (may leave the raster: callers clip or pad). */
export function expandWindow(w: PixelWindow, marginPx: number): PixelWindow {
  return { colOff: w.colOff - marginPx, rowOff: w.rowOff - marginPx, width: w.width + 2 * marginPx, height: w.height + 2 * marginPx };
}

/** The same area on a grid `factor` times coarser; the window must be aligned to it. */
export function scaleDownWindow(w: PixelWindow, factor: number): PixelWindow {
  if (w.colOff % factor || w.rowOff % factor || w.width % factor || w.height % factor) {
    throw new RangeError(`window ${JSON.stringify(w)} is not aligned to a factor of ${factor}`);
  }
  return { colOff: w.colOff / factor, rowOff: w.rowOff / factor, width: w.width / factor, height: w.height / factor };
}

export function windowArea(w: PixelWindow): number {
  return w.width * w.height;
}
