/**
 * @module main/engine/raster/pixel-window
 * A rectangle of pixels on some raster's grid (rasterio's Window): the one window type of the engine, for tiles,
 * reads, writes, metric cores and maps alike. Plain immutable values and pure functions; offsets may be negative
 * (a padded read reaching past the raster's edge), sizes may not.
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

/** The whole of a width×height raster (or block). */
export function rasterWindow(width: number, height: number): PixelWindow {
  return pixelWindow(0, 0, width, height);
}

/** The common pixels of `a` and `b`, or null when they share none. */
export function intersectWindows(a: PixelWindow, b: PixelWindow): PixelWindow | null {
  const col0 = Math.max(a.colOff, b.colOff);
  const row0 = Math.max(a.rowOff, b.rowOff);
  const col1 = Math.min(a.colOff + a.width, b.colOff + b.width);
  const row1 = Math.min(a.rowOff + a.height, b.rowOff + b.height);
  if (col1 <= col0 || row1 <= row0) return null;
  return { colOff: col0, rowOff: row0, width: col1 - col0, height: row1 - row0 };
}

/** The part of `w` on a width×height raster, or null when it lies wholly off it. */
export function clampWindow(w: PixelWindow, width: number, height: number): PixelWindow | null {
  return intersectWindows(w, rasterWindow(width, height));
}

/** Whether `inner`'s bounds lie within `outer`'s (edges may touch). */
export function containsWindow(outer: PixelWindow, inner: PixelWindow): boolean {
  return (
    inner.colOff >= outer.colOff &&
    inner.rowOff >= outer.rowOff &&
    inner.colOff + inner.width <= outer.colOff + outer.width &&
    inner.rowOff + inner.height <= outer.rowOff + outer.height
  );
}

export function translateWindow(w: PixelWindow, colShift: number, rowShift: number): PixelWindow {
  return { colOff: w.colOff + colShift, rowOff: w.rowOff + rowShift, width: w.width, height: w.height };
}

/** `w` in the coordinates of a grid whose pixel (0, 0) is `origin`'s offset (e.g. a tile's core within its read). */
export function windowRelativeTo(w: PixelWindow, origin: Pick<PixelWindow, 'colOff' | 'rowOff'>): PixelWindow {
  return translateWindow(w, -origin.colOff, -origin.rowOff);
}

/** Grows a window by `marginPx` on every side (may leave the raster: callers clamp or pad). */
export function expandWindow(w: PixelWindow, marginPx: number): PixelWindow {
  return { colOff: w.colOff - marginPx, rowOff: w.rowOff - marginPx, width: w.width + 2 * marginPx, height: w.height + 2 * marginPx };
}

/** A multiple of `step` near `value / step`, never −0 (Math.ceil(−0.5) is −0, which would leak into offsets). */
function gridLine(value: number, step: number, round: (x: number) => number): number {
  return round(value / step) * step + 0;
}

function checkFactor(factor: number): void {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`grid scale factor must be a positive integer, got ${factor}`);
}

/** The same area on a grid `factor` times coarser (PAN → MS by the ratio); the window must be aligned to it. */
export function scaleDownWindow(w: PixelWindow, factor: number): PixelWindow {
  checkFactor(factor);
  if (w.colOff % factor || w.rowOff % factor || w.width % factor || w.height % factor) {
    throw new RangeError(`window ${JSON.stringify(w)} is not aligned to a factor of ${factor}`);
  }
  return { colOff: w.colOff / factor, rowOff: w.rowOff / factor, width: w.width / factor, height: w.height / factor };
}

/** The same area on a grid `factor` times finer (MS → PAN by the ratio). */
export function scaleUpWindow(w: PixelWindow, factor: number): PixelWindow {
  checkFactor(factor);
  return { colOff: w.colOff * factor, rowOff: w.rowOff * factor, width: w.width * factor, height: w.height * factor };
}

/** The smallest window on a grid of step `step` (lines at multiples of it) that holds `w`. */
export function snapWindowOut(w: PixelWindow, step: number): PixelWindow {
  checkFactor(step);
  const col0 = gridLine(w.colOff, step, Math.floor);
  const row0 = gridLine(w.rowOff, step, Math.floor);
  const col1 = gridLine(w.colOff + w.width, step, Math.ceil);
  const row1 = gridLine(w.rowOff + w.height, step, Math.ceil);
  return { colOff: col0, rowOff: row0, width: col1 - col0, height: row1 - row0 };
}

/** The largest window on a grid of step `step` that lies inside `w`, or null when it holds no whole cell. */
export function snapWindowIn(w: PixelWindow, step: number): PixelWindow | null {
  checkFactor(step);
  const col0 = gridLine(w.colOff, step, Math.ceil);
  const row0 = gridLine(w.rowOff, step, Math.ceil);
  const col1 = gridLine(w.colOff + w.width, step, Math.floor);
  const row1 = gridLine(w.rowOff + w.height, step, Math.floor);
  if (col1 <= col0 || row1 <= row0) return null;
  return { colOff: col0, rowOff: row0, width: col1 - col0, height: row1 - row0 };
}

export function windowArea(w: PixelWindow): number {
  return w.width * w.height;
}
