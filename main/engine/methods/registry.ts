/**
 * @module main/engine/methods/registry
 * The one table of fusion methods, read by the CLI and the app: the TypeScript baselines plus every network
 * found as a manifest in the models folder (PANFORGE_MODELS_DIR, else models/onnx of the package: the checkout or
 * the installed npm package, wherever the command runs from).
 * A network id (e.g. "premix") stands for its variants; the scene's band count picks one.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, RequestError } from '../errors.ts';
import { loadManifest } from '../infer/manifest.ts';
import { modelsFolderPath } from './models-folder.ts';
import { classicalMethods } from './classical/index.ts';
import type { FusionMethod, MethodInfo } from './method.ts';
import { networkMethod } from './network-method.ts';

/** The networks the project ships (models/onnx), in the order reports list them when their models are missing. */
export const SHIPPED_NETWORKS: readonly string[] = ['ggpnet', 'premix', 'cf2n'];

export function modelsFolder(): string {
  return modelsFolderPath();
}

/** Every network variant with a manifest in `folder` (invalid manifests fail loudly: a broken install must show). */
export function loadNetworkMethods(folder = modelsFolder()): FusionMethod[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.manifest.json'))
    .sort()
    .map((f) => networkMethod(loadManifest(join(folder, f))));
}

export interface MethodEntry {
  readonly id: string;
  readonly kind: MethodInfo['kind'];
  readonly label: string;
  readonly description: string;
  /** One per network variant; one for a baseline. */
  readonly variants: readonly FusionMethod[];
}

export function listMethods(folder = modelsFolder()): MethodEntry[] {
  const entries: MethodEntry[] = classicalMethods.map((m) => ({ id: m.id, kind: m.kind, label: m.label, description: m.description, variants: [m] }));
  const byId = new Map<string, FusionMethod[]>();
  for (const m of loadNetworkMethods(folder)) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  for (const [id, variants] of byId) {
    const first = variants[0]!;
    entries.push({
      id,
      kind: 'network',
      label: first.label,
      description: `${first.label} deep network (variants: ${variants.map((v) => v.model?.name).join(', ')})`,
      variants,
    });
  }
  return entries;
}

/** The shipped networks with no manifest in `folder`. */
export function uninstalledNetworks(folder = modelsFolder()): string[] {
  const installed = new Set(loadNetworkMethods(folder).map((m) => m.id));
  return SHIPPED_NETWORKS.filter((id) => !installed.has(id));
}

/** The method variant for a scene with `bandCount` bands and this ratio; clear errors when none fits. */
export function resolveMethod(id: string, bandCount: number, ratio: number, folder = modelsFolder()): FusionMethod {
  const entries = listMethods(folder);
  const entry = entries.find((e) => e.id === id.toLowerCase());
  if (!entry) {
    throw new RequestError('unknown-method', `unknown method "${id}"; available: ${entries.map((e) => e.id).join(', ')} (see \`panforge methods\`)`, {
      method: id,
    });
  }
  const fitting = entry.variants.filter((v) => v.bandCount === null || v.bandCount === bandCount);
  if (fitting.length === 0) {
    const counts = entry.variants.map((v) => v.bandCount).join(' or ');
    throw new InputError('band-count', `${entry.label} needs an MS with ${counts} bands; this scene's MS has ${bandCount}`, {
      method: id,
      got: bandCount,
      expected: counts,
    });
  }
  const method = fitting.find((v) => v.supportedRatios.includes(ratio));
  if (!method) {
    throw new InputError(
      'ratio-unsupported',
      `${entry.label} supports a PAN/MS ratio of ${fitting[0]!.supportedRatios.join(' or ')}; this scene's ratio is ${ratio}`,
      {
        method: id,
        got: ratio,
        expected: fitting[0]!.supportedRatios,
      },
    );
  }
  return method;
}
