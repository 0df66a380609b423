/**
 * @module main/engine/io/band-layout
 * Which sensor a scene comes from and what its MS bands are, in order: read from the files when they say so
 * (SENSOR metadata, band descriptions, ColorInterp), else guessed from the band count and marked as a guess, and
 * overridden by the user (the app's Scene panel, the CLI's --sensor/--bands). One answer feeds the true-colour
 * default, the MTF gains, the networks' band mapping, the metrics and the output band names.
 */
import { basename } from 'node:path';
import { canonicalSensor } from '../dsp/sensor-mtf.ts';
import { InputError } from '../errors.ts';
import type { RasterInfo } from './raster-info.ts';

export interface BandPreset {
  readonly id: string;
  readonly label: string;
  /** The sensor the preset also sets, or null (band order only). */
  readonly sensor: string | null;
  readonly bands: readonly string[];
}

const WORLDVIEW_8 = ['Coastal', 'Blue', 'Green', 'Yellow', 'Red', 'RedEdge', 'NIR1', 'NIR2'];

export const BAND_PRESETS: readonly BandPreset[] = [
  { id: 'worldview-3', label: 'WorldView-3 8-band', sensor: 'WorldView-3', bands: WORLDVIEW_8 },
  { id: 'worldview-2', label: 'WorldView-2 8-band', sensor: 'WorldView-2', bands: WORLDVIEW_8 },
  { id: 'bgrn', label: '4-band BGRN', sensor: null, bands: ['Blue', 'Green', 'Red', 'NIR'] },
  { id: 'rgbn', label: '4-band RGBN', sensor: null, bands: ['Red', 'Green', 'Blue', 'NIR'] },
  { id: 'landsat-8-9', label: 'Landsat-8/9 OLI bands 1–7', sensor: 'Landsat-8/9', bands: ['Coastal', 'Blue', 'Green', 'Red', 'NIR', 'SWIR1', 'SWIR2'] },
];

export type SensorSource = 'metadata' | 'user' | 'none';
export type BandNamesSource = 'descriptions' | 'color-interp' | 'band-count' | 'user' | 'none';

export interface BandLayout {
  /** Canonical name when known to the MTF table (e.g. "WorldView-3"), else as given; null = unknown. */
  readonly sensor: string | null;
  readonly sensorSource: SensorSource;
  readonly bandNames: readonly string[];
  readonly bandSource: BandNamesSource;
  /** True when the band names are inferred (ColorInterp or band count), not stated by the file or the user. */
  readonly bandsGuessed: boolean;
}

export interface BandLayoutOverride {
  /** A sensor name or alias; '' or null keeps what the metadata says. */
  readonly sensor?: string | null;
  /** One name per MS band, in file order, or a preset id (BAND_PRESETS); empty keeps the inferred names. */
  readonly bands?: readonly string[] | string | null;
}

/** WV03 → WorldView-3, GE01 → GeoEye-1, LC08/LC09 → Landsat-8/9: product codes as delivery metadata writes them. */
export function sensorName(raw: string): string {
  const t = raw.trim();
  const code = /^(wv|ge|qb|ik)0*(\d)$/i.exec(t);
  const alias = code
    ? `${code[1]!.toUpperCase()}${code[1]!.toUpperCase() === 'QB' ? '' : code[2]}`
    : /^(lc0?[89]|landsat[-_ ]?[89])$/i.test(t)
      ? 'Landsat-8/9'
      : t;
  return canonicalSensor(alias) ?? alias;
}

const GENERIC_NAME = /^(band\s*\d+|b\d+|)$/i;

function namesFromDescriptions(ms: RasterInfo): string[] | null {
  const names = ms.bands.map((b) => b.description.trim());
  return names.every((n) => !GENERIC_NAME.test(n)) ? names : null;
}

/** ColorInterp is trusted only where it can be right: 3–4 bands, R, G and B each once (an 8-band RGB tag is a TIFF artefact). */
function namesFromColorInterp(ms: RasterInfo): string[] | null {
  if (ms.bandCount < 3 || ms.bandCount > 4) return null;
  const names = ms.bands.map((b) => ({ Red: 'Red', Green: 'Green', Blue: 'Blue' })[b.colorInterp ?? ''] ?? null);
  const colours = names.filter((n) => n !== null);
  if (colours.length !== 3 || new Set(colours).size !== 3) return null;
  return names.map((n) => n ?? 'NIR');
}

function namesFromBandCount(count: number): string[] | null {
  if (count === 8) return [...WORLDVIEW_8];
  if (count === 4) return ['Blue', 'Green', 'Red', 'NIR'];
  if (count === 7) return [...BAND_PRESETS.find((p) => p.id === 'landsat-8-9')!.bands];
  return null;
}

export function inferBandLayout(ms: RasterInfo, pan: RasterInfo): BandLayout {
  const rawSensor = ms.sensor ?? pan.sensor;
  const sensor = rawSensor ? sensorName(rawSensor) : null;
  const sensorSource: SensorSource = sensor ? 'metadata' : 'none';
  const described = namesFromDescriptions(ms);
  if (described) return { sensor, sensorSource, bandNames: described, bandSource: 'descriptions', bandsGuessed: false };
  const tagged = namesFromColorInterp(ms);
  if (tagged) return { sensor, sensorSource, bandNames: tagged, bandSource: 'color-interp', bandsGuessed: true };
  // A known sensor's table says its band order; else the usual order for the band count.
  const known = sensor ? BAND_PRESETS.find((p) => p.sensor === sensor && p.bands.length === ms.bandCount) : undefined;
  const counted = known ? [...known.bands] : namesFromBandCount(ms.bandCount);
  if (counted) return { sensor, sensorSource, bandNames: counted, bandSource: 'band-count', bandsGuessed: true };
  return { sensor, sensorSource, bandNames: ms.bands.map((b, i) => b.description.trim() || `Band ${i + 1}`), bandSource: 'none', bandsGuessed: false };
}

/** The inferred layout with the user's choices applied; an InputError when the names do not fit the MS. */
export function applyBandLayout(inferred: BandLayout, override: BandLayoutOverride | undefined, ms: Pick<RasterInfo, 'path' | 'bandCount'>): BandLayout {
  if (!override) return inferred;
  let layout = inferred;
  let bands = override.bands;
  if (typeof bands === 'string') {
    const preset = BAND_PRESETS.find((p) => p.id === bands || p.label.toLowerCase() === String(bands).toLowerCase());
    if (preset) {
      bands = preset.bands;
      if (preset.sensor && !override.sensor) layout = { ...layout, sensor: preset.sensor, sensorSource: 'user' };
    } else {
      bands = bands.split(',').map((b) => b.trim());
    }
  }
  if (bands && bands.length > 0) {
    if (bands.length !== ms.bandCount || bands.some((b) => b.trim() === '')) {
      throw new InputError(
        'band-names',
        `${bands.length} band name(s) given (${bands.join(', ')}) for MS ${basename(ms.path)}, which has ${ms.bandCount} bands; give one non-empty name per band in file order, or a preset: ${
          BAND_PRESETS.filter((p) => p.bands.length === ms.bandCount)
            .map((p) => p.id)
            .join(', ') || 'none fits'
        }`,
        { path: ms.path, got: bands.length, expected: ms.bandCount },
      );
    }
    layout = { ...layout, bandNames: bands.map((b) => b.trim()), bandSource: 'user', bandsGuessed: false };
  }
  if (override.sensor) layout = { ...layout, sensor: sensorName(override.sensor), sensorSource: 'user' };
  return layout;
}
