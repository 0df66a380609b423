/**
 * @module main/engine/dsp/sensor-mtf
 * Per-band MTF gains at the Nyquist frequency for a sensor, from `sensor-mtf.json` (shared with the Python training
 * code, which reads the same file). These gains define the toolbox's MTF-matched low-pass filter (genMTF.m).
 */
import { InputError } from '../errors.ts';
import table from './sensor-mtf.json' with { type: 'json' };

interface SensorEntry {
  readonly aliases: readonly string[];
  readonly bands: readonly string[];
  readonly gains: readonly number[];
  /** The PAN band's Nyquist gain (the toolbox's MTF_PAN.m) and where it comes from. */
  readonly panGain: number;
  readonly panGainSource: string;
}

const sensors: Readonly<Record<string, SensorEntry>> = table.sensors;

/** The gain the toolbox uses for any sensor it does not know (`genMTF.m`, case 'none'/otherwise): 0.3 per band. */
export const GENERIC_NYQUIST_GAIN: number = table.generic.gain;

/** PAN Nyquist gain of a sensor the table does not know (MTF_PAN.m, case 'none'). */
export const GENERIC_PAN_NYQUIST_GAIN: number = table.generic.panGain;

/** The PAN band's Nyquist gain for Wald's protocol, and its source: the sensor's own, else the generic one. */
export function panNyquistGain(sensor: string): { gain: number; source: string } {
  const canonical = canonicalSensor(sensor);
  if (canonical === undefined) return { gain: GENERIC_PAN_NYQUIST_GAIN, source: "generic (MTF_PAN.m case 'none')" };
  const entry = sensors[canonical]!;
  return { gain: entry.panGain, source: `${canonical}: ${entry.panGainSource}` };
}

/** Every known sensor with its PAN gain (for documentation and `evaluate --help`). */
export function panGainTable(): { sensor: string; gain: number; source: string }[] {
  return Object.entries(sensors).map(([sensor, e]) => ({ sensor, gain: e.panGain, source: e.panGainSource }));
}

/** A sensor name or alias (case-insensitive, e.g. `'WV2'`, `'WorldView-2'`), or explicit per-band gains. */
export type MtfSource = string | readonly number[];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** The canonical sensor name for a name or alias, or `undefined` when the sensor is not in the table. */
export function canonicalSensor(name: string): string | undefined {
  const key = normalise(name);
  for (const [canonical, entry] of Object.entries(sensors)) {
    if (normalise(canonical) === key || entry.aliases.some((a) => normalise(a) === key)) return canonical;
  }
  return undefined;
}

/** Every canonical sensor name in the table. */
export function knownSensors(): string[] {
  return Object.keys(sensors);
}

/**
 * Nyquist gains for `bands` bands. A known sensor must have exactly that many bands (InputError otherwise: a
 * 4-band gain table on an 8-band image is a wrong sensor, not something to guess); an unknown name, `'none'` or
 * `'generic'` gives the generic gain for every band, as the toolbox does. Explicit gains must be in (0, 1).
 */
export function nyquistGains(source: MtfSource, bands: number): number[] {
  let gains: readonly number[];
  if (typeof source === 'string') {
    const canonical = canonicalSensor(source);
    if (canonical === undefined) return new Array<number>(bands).fill(GENERIC_NYQUIST_GAIN);
    gains = sensors[canonical]!.gains;
    if (gains.length !== bands) {
      throw new InputError('band-count', `sensor ${canonical} has MTF gains for ${gains.length} bands, but the image has ${bands} bands; wrong --sensor?`, {
        sensor: canonical,
        got: bands,
        expected: gains.length,
      });
    }
  } else {
    gains = source;
    if (gains.length !== bands) {
      throw new InputError('band-count', `${gains.length} MTF gains given for an image with ${bands} bands; expected one gain per band`, {
        got: gains.length,
        expected: bands,
      });
    }
  }
  for (const g of gains) {
    if (!(g > 0 && g < 1)) throw new InputError('bad-mtf-gain', `MTF Nyquist gain ${g} is outside (0, 1)`, { gain: g });
  }
  return [...gains];
}
