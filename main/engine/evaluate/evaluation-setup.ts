/**
 * @module main/engine/evaluate/evaluation-setup
 * What an evaluation settles before any work: the methods (those asked for, or every installed one that fits the
 * scene, with the rest listed as skipped), the sensor whose MTF degrades and filters, and the pair of methods whose
 * disagreement is mapped. Every refusal here comes before a file is written.
 */
import { canonicalSensor, knownSensors } from '../dsp/sensor-mtf.ts';
import { InputError, RequestError } from '../errors.ts';
import type { Scene } from '../io/open-scene.ts';
import type { FusionMethod } from '../methods/method.ts';
import { listMethods, resolveMethod, uninstalledNetworks } from '../methods/registry.ts';

export interface SkippedMethod {
  readonly method: string;
  readonly reason: string;
}

export interface SelectedMethods {
  readonly methods: FusionMethod[];
  readonly skipped: SkippedMethod[];
}

/** The methods `requested` names (ids, or 'all') resolved for the scene, from the models in `folder`. */
export function selectMethods(requested: 'all' | readonly string[], scene: Scene, folder: string): SelectedMethods {
  const skipped: SkippedMethod[] = [];
  const methods: FusionMethod[] = [];
  if (requested === 'all') {
    for (const entry of listMethods(folder)) {
      try {
        methods.push(resolveMethod(entry.id, scene.bandCount, scene.ratio, folder));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        skipped.push({ method: entry.id, reason: err.message });
      }
    }
    for (const id of uninstalledNetworks(folder)) skipped.push({ method: id, reason: `model not installed (no ${id} manifest in ${folder})` });
  } else {
    for (const id of new Set(requested.map((m) => m.toLowerCase()))) methods.push(resolveMethod(id, scene.bandCount, scene.ratio, folder));
  }
  if (methods.length === 0) {
    throw new InputError(
      'no-methods',
      `no method fits this scene (${scene.bandCount} bands, ratio ${scene.ratio}); skipped: ${skipped.map((s) => `${s.method}: ${s.reason}`).join('; ')}`,
      { skipped },
    );
  }
  return { methods, skipped };
}

export interface SensorChoice {
  /** The sensor's canonical name, the metadata's own name when it has no MTF table, or null. */
  readonly name: string | null;
  /** The MTF table used: a canonical sensor name, or 'generic'. */
  readonly mtf: string;
}

/** The sensor asked for, else the scene's; `notes` gets a line when the generic MTF stands in. */
export function resolveSensor(requested: string | null | undefined, scene: Scene, notes: string[]): SensorChoice {
  if (requested) {
    if (['generic', 'none'].includes(requested.toLowerCase())) return { name: null, mtf: 'generic' };
    const canonical = canonicalSensor(requested);
    if (!canonical) {
      throw new RequestError('unknown-sensor', `unknown sensor "${requested}"; known: ${knownSensors().join(', ')}, or "generic" (MTF gain 0.3 per band)`, {
        sensor: requested,
      });
    }
    return { name: canonical, mtf: canonical };
  }
  if (scene.sensor) {
    const canonical = canonicalSensor(scene.sensor);
    if (canonical) return { name: canonical, mtf: canonical };
    notes.push(`sensor "${scene.sensor}" (from the metadata) has no MTF table; the generic MTF (Nyquist gain 0.3) is used; pass --sensor to choose one`);
    return { name: scene.sensor, mtf: 'generic' };
  }
  notes.push('the scene names no sensor; the generic MTF (Nyquist gain 0.3) is used; pass --sensor to choose one');
  return { name: null, mtf: 'generic' };
}

/** The pair `requested` names (default: the first two methods), checked against the evaluated methods. */
export function resolveCompare(requested: readonly [string, string] | null | undefined, methods: readonly FusionMethod[]): readonly [string, string] | null {
  const compare = requested ?? (methods.length >= 2 ? ([methods[0]!.id, methods[1]!.id] as const) : null);
  if (!compare) return null;
  for (const id of compare) {
    if (!methods.some((m) => m.id === id.toLowerCase())) {
      throw new RequestError('compare-method', `--compare names "${id}", which is not among the evaluated methods (${methods.map((m) => m.id).join(', ')})`, {
        method: id,
      });
    }
  }
  if (compare[0].toLowerCase() === compare[1].toLowerCase())
    throw new RequestError('compare-method', `--compare needs two different methods; got "${compare[0]}" twice`, {});
  return compare;
}
