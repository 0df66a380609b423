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

function stretched(bandIndex: number, range: readonly [number, number], gamma: number): Expr {
  const [lo, hi] = range;
  const unit: Expr = ['clamp', ['/', ['-', ['band', bandIndex + 1], lo], hi - lo], 0, 1];
  return gamma === 1 ? unit : ['^', unit, 1 / gamma];
}

export interface StyleOptions {
  readonly combo: BandCombo;
  /** Display gamma [default 1]. */
  readonly gamma?: number;
  /** [default 'percent' = 2–98 %] */
  readonly stretch?: StretchKind;
  /**
   * Linked stretch: take each channel's display range from this reference layer (its band in the same channel),
   * so compared layers are shown on one scale. Ignored for a one-band layer against a multi-band reference.
   */
  readonly linkedTo?: LinkedStretch | null;
}

export interface LinkedStretch {
  readonly layer: Pick<RasterLayer, 'stats' | 'bandCount'>;
  readonly combo: BandCombo;
  readonly stretch: StretchKind;
}

/** The [lo, hi] of the red, green and blue channels: the layer's own, or the reference's when linked. */
export function channelRanges(layer: Pick<RasterLayer, 'stats' | 'bandCount'>, options: StyleOptions): [number, number][] {
  const own = options.stretch ?? 'percent';
  const bands = [options.combo.r, options.combo.g, options.combo.b];
  const link = options.linkedTo;
  if (!link || (layer.bandCount === 1 && link.layer.bandCount > 1)) return bands.map((b) => stretchRange(layer.stats[b], own));
  const refBands = [link.combo.r, link.combo.g, link.combo.b];
  return refBands.map((b) => stretchRange(link.layer.stats[b], link.stretch));
}

/**
 * The WebGL tile style of a layer read with `normalize: false` (raw values). When the raster has nodata, the
 * GeoTIFF source appends an alpha band (255 = data, 0 = nodata) after the data bands; we read it for opacity.
 */
export function webglStyle(
  layer: Pick<RasterLayer, 'bandCount' | 'stats' | 'noData'> & { readonly kind?: RasterLayer['kind'] },
  options: StyleOptions,
): { color: Expr } {
  const gamma = options.gamma ?? 1;
  const stretch = options.stretch ?? 'percent';
  if (isRampLayer(layer)) return rampStyle(layer, gamma, stretch);
  for (const i of [options.combo.r, options.combo.g, options.combo.b]) {
    if (!Number.isInteger(i) || i < 0 || i >= layer.bandCount) throw new RangeError(`band index ${i} is outside 0…${layer.bandCount - 1}`);
  }
  const alpha: Expr = layer.noData === null ? 1 : ['clamp', ['band', layer.bandCount + 1], 0, 1];
  const [r, g, b] = channelRanges(layer, { ...options, stretch });
  return {
    color: ['array', stretched(options.combo.r, r!, gamma), stretched(options.combo.g, g!, gamma), stretched(options.combo.b, b!, gamma), alpha],
  };
}

/**
 * A one-band quality map (kind 'quality', e.g. spectral angle in degrees) is a magnitude from 0, not an image: it is
 * shown through a colour ramp from 0 to its p98 (or max), so equal colours mean equal values across the map.
 */
export function isRampLayer(layer: { readonly kind?: RasterLayer['kind']; readonly bandCount: number }): boolean {
  return layer.kind === 'quality' && layer.bandCount === 1;
}

/** Ramp stops, position 0…1 → RGB 0…1 (viridis-like: dark blue = no distortion, yellow = the most). */
export const QUALITY_RAMP: readonly (readonly [number, readonly [number, number, number]])[] = [
  [0, [0.267, 0.005, 0.329]],
  [0.25, [0.231, 0.322, 0.545]],
  [0.5, [0.129, 0.569, 0.549]],
  [0.75, [0.369, 0.788, 0.384]],
  [1, [0.992, 0.906, 0.145]],
];

/** Display range of a quality map: 0 to p98 ('percent') or to max ('minmax'); [0, 1] when it is all zero. */
export function rampRange(stats: BandStats | undefined, kind: StretchKind = 'percent'): [number, number] {
  const hi = stats ? (kind === 'percent' && stats.p98 > 0 ? stats.p98 : stats.max) : 0;
  return [0, hi > 0 ? hi : 1];
}

/** The unit of a quality map, from its band description's last clause ("spectral angle to …, degrees" → "degrees"). */
export function rampUnit(layer: Pick<RasterLayer, 'bandDescriptions'>): string {
  const d = layer.bandDescriptions[0] ?? '';
  const i = d.lastIndexOf(',');
  return i < 0 ? '' : d.slice(i + 1).trim();
}

/** The legend of a ramp layer: its range and unit as text, and the ramp as a CSS gradient. */
export function rampLegend(layer: Pick<RasterLayer, 'bandDescriptions' | 'stats'>, stretch: StretchKind = 'percent'): { label: string; gradient: string } {
  const [lo, hi] = rampRange(layer.stats[0], stretch);
  const digits = hi < 10 ? 2 : 1;
  const unit = rampUnit(layer);
  const stops = QUALITY_RAMP.map(([t, c]) => `rgb(${c.map((v) => Math.round(v * 255)).join(', ')}) ${t * 100}%`);
  return { label: `${lo.toFixed(digits)}–${hi.toFixed(digits)}${unit ? ` ${unit}` : ''}`, gradient: `linear-gradient(to right, ${stops.join(', ')})` };
}

function rampStyle(layer: Pick<RasterLayer, 'stats'>, gamma: number, stretch: StretchKind): { color: Expr } {
  const [lo, hi] = rampRange(layer.stats[0], stretch);
  const unit: Expr = ['clamp', ['/', ['-', ['band', 1], lo], hi - lo], 0, 1];
  const t: Expr = gamma === 1 ? unit : ['^', unit, 1 / gamma];
  const channel = (c: 0 | 1 | 2): Expr => ['interpolate', ['linear'], t, ...QUALITY_RAMP.flatMap(([pos, rgb]) => [pos, rgb[c]])];
  // Quality maps always have NaN as nodata (outside the evaluated area), which the contract carries as null (it
  // holds finite numbers only); the GeoTIFF source reads it from the file and appends the alpha band all the same.
  return { color: ['array', channel(0), channel(1), channel(2), ['clamp', ['band', 2], 0, 1]] };
}
