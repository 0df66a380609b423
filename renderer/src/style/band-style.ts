/**
 * @module renderer/style/band-style
 * How a raster layer is shown: which bands go to red/green/blue and the 2–98 % stretch from the engine's band
 * statistics, turned into an OpenLayers WebGL tile style. This is renderer style only: the engine never changes
 * pixels for display. Pure functions, so the choices are unit-tested without a browser.
 */
import type { BandStats, RasterLayer } from '../../../preload/contract.ts';

export type ComboKind = 'true-colour' | 'false-colour-nir' | 'custom';

/** 0-based band indexes for red, green and blue (a one-band raster uses the same band thrice). */
export interface BandCombo {
  readonly kind: ComboKind;
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface BandRoles {
  readonly blue: number | null;
  readonly green: number | null;
  readonly red: number | null;
  readonly nir: number | null;
}

/** Finds the colour roles from band descriptions ("Blue", "Red", "NIR1", "Near infrared"…); RedEdge is not red. */
export function bandRoles(descriptions: readonly string[]): BandRoles {
  const find = (re: RegExp) => {
    const i = descriptions.findIndex((d) => re.test(d.trim()));
    return i < 0 ? null : i;
  };
  return {
    blue: find(/^blue\b|^b$/i),
    green: find(/^green\b|^g$/i),
    red: find(/^red$|^red\b(?!.?edge)/i),
    nir: find(/^nir|near.?infra/i),
  };
}

/** The combination of a kind for this layer, or null when its band descriptions do not allow it. */
export function comboFor(kind: Exclude<ComboKind, 'custom'>, layer: Pick<RasterLayer, 'bandCount' | 'bandDescriptions'>): BandCombo | null {
  if (layer.bandCount === 1) return kind === 'true-colour' ? { kind, r: 0, g: 0, b: 0 } : null;
  const roles = bandRoles(layer.bandDescriptions);
  if (kind === 'true-colour') {
    return roles.red !== null && roles.green !== null && roles.blue !== null ? { kind, r: roles.red, g: roles.green, b: roles.blue } : null;
  }
  return roles.nir !== null && roles.red !== null && roles.green !== null ? { kind, r: roles.nir, g: roles.red, b: roles.green } : null;
}

/** True colour when the descriptions say where R, G, B are; otherwise the first three bands, marked custom. */
export function defaultCombo(layer: Pick<RasterLayer, 'bandCount' | 'bandDescriptions'>): BandCombo {
  const combo = comboFor('true-colour', layer);
  if (combo) return combo;
  const last = layer.bandCount - 1;
  return { kind: 'custom', r: 0, g: Math.min(1, last), b: Math.min(2, last) };
}

/** A band's label for pickers and charts: its description, else "Band n" (GDAL's 1-based number). */
export function bandLabel(layer: Pick<RasterLayer, 'bandDescriptions'>, bandIndex: number): string {
  const d = layer.bandDescriptions[bandIndex]?.trim();
  return d ? d : `Band ${bandIndex + 1}`;
}

export type StretchKind = 'percent' | 'minmax';

/**
 * Low and high display values of a band: its 2 and 98 % percentiles ('percent', the default: a few bright roofs
 * do not wash the image out), or its range ('minmax'); widened when they coincide.
 */
export function stretchRange(stats: BandStats | undefined, kind: StretchKind = 'percent'): [number, number] {
  if (!stats) return [0, 1];
  if (kind === 'percent' && stats.p98 > stats.p2) return [stats.p2, stats.p98];
  if (stats.max > stats.min) return [stats.min, stats.max];
  return [stats.p2 - 0.5, stats.p2 + 0.5];
}

/** OpenLayers style expressions are nested arrays; this is the part we build. */
export type Expr = number | string | Expr[];

function stretched(layer: Pick<RasterLayer, 'stats'>, bandIndex: number, gamma: number, stretch: StretchKind): Expr {
  const [lo, hi] = stretchRange(layer.stats[bandIndex], stretch);
  const unit: Expr = ['clamp', ['/', ['-', ['band', bandIndex + 1], lo], hi - lo], 0, 1];
  return gamma === 1 ? unit : ['^', unit, 1 / gamma];
}

export interface StyleOptions {
  readonly combo: BandCombo;
  /** Display gamma [default 1]. */
  readonly gamma?: number;
  /** [default 'percent' = 2–98 %] */
  readonly stretch?: StretchKind;
}

/**
 * The WebGL tile style of a layer read with `normalize: false` (raw values). When the raster has nodata, the
 * GeoTIFF source appends an alpha band (255 = data, 0 = nodata) after the data bands; we read it for opacity.
 */
export function webglStyle(layer: Pick<RasterLayer, 'bandCount' | 'stats' | 'noData'>, options: StyleOptions): { color: Expr } {
  const gamma = options.gamma ?? 1;
  const stretch = options.stretch ?? 'percent';
  for (const i of [options.combo.r, options.combo.g, options.combo.b]) {
    if (!Number.isInteger(i) || i < 0 || i >= layer.bandCount) throw new RangeError(`band index ${i} is outside 0…${layer.bandCount - 1}`);
  }
  const alpha: Expr = layer.noData === null ? 1 : ['clamp', ['band', layer.bandCount + 1], 0, 1];
  return {
    color: ['array', stretched(layer, options.combo.r, gamma, stretch), stretched(layer, options.combo.g, gamma, stretch), stretched(layer, options.combo.b, gamma, stretch), alpha],
  };
}
