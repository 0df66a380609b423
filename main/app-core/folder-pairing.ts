/**
 * @module main/app-core/folder-pairing
 * Finds the PAN and MS images of a product folder by their names, and only when that is unambiguous: exactly one
 * PAN and one MS candidate, or exactly one PAN/MS pair whose names agree apart from the PAN/MS token (e.g.
 * `…-P1BS-…` and `…-M1BS-…`). The folder and its direct subfolders (`PAN/`, `MS/`) are searched. Anything less
 * certain is an error listing what was found, so the user picks the two files instead of us guessing.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { SceneFiles } from '../../preload/contract.ts';
import { InputError } from '../engine/errors.ts';

const RASTER_EXTENSIONS = new Set(['.tif', '.tiff', '.jp2', '.ntf']);
/** Name tokens of a panchromatic image (Maxar P1BS, Pleiades `_P_`, plain "pan"). */
const PAN_TOKENS = new Set(['pan', 'panchromatic', 'p', 'p1bs', 'p2as', 'p3ds', 'pa']);
/** Name tokens of a multispectral image (Maxar M1BS, Pleiades `_MS_`, SPOT XS, Landsat-style "mul"). */
const MS_TOKENS = new Set(['ms', 'mul', 'mss', 'multi', 'multispectral', 'm1bs', 'm2as', 'm3ds', 'xs']);
/** Products of processing, never an input pair. */
const SKIP_TOKENS = new Set(['truth', 'partial', 'cog', 'preview', 'browse', 'thumb', 'thumbnail', 'quicklook', 'ps', 'pansharpened', 'fused', 'sharpened']);

export interface Candidate {
  readonly path: string;
  readonly name: string;
  readonly kind: 'pan' | 'ms';
  /** The name's tokens without the PAN/MS token: equal for the two images of one product. */
  readonly stem: string;
}

/** Raster files of `folder` and its direct subfolders, sorted. */
export function rasterFiles(folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth === 0) visit(path, 1);
      else if (RASTER_EXTENSIONS.has(extname(entry.name).toLowerCase()) && statSync(path).isFile()) out.push(path);
    }
  };
  visit(folder, 0);
  return out.sort();
}

/** A raster file of `folder` as a PAN or MS candidate by its name (null: neither, or a processing product). */
export function classifySceneFile(folder: string, path: string): Candidate | null {
  const name = relative(folder, path);
  const tokens = name
    .slice(0, name.length - extname(name).length)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (tokens.some((t) => SKIP_TOKENS.has(t))) return null;
  const pan = tokens.filter((t) => PAN_TOKENS.has(t));
  const ms = tokens.filter((t) => MS_TOKENS.has(t));
  if (pan.length > 0 === ms.length > 0) return null;
  const kind = pan.length > 0 ? 'pan' : 'ms';
  const classTokens = kind === 'pan' ? PAN_TOKENS : MS_TOKENS;
  return { path, name, kind, stem: tokens.filter((t) => !classTokens.has(t)).join('-') };
}

export function pairSceneFolder(folder: string): SceneFiles {
  let files: string[];
  try {
    files = rasterFiles(folder);
  } catch (err) {
    throw new InputError('folder-unreadable', `cannot list ${folder}: ${err instanceof Error ? err.message : String(err)}`, { path: folder });
  }
  const candidates = files.map((f) => classifySceneFile(folder, f)).filter((c): c is Candidate => c !== null);
  const pans = candidates.filter((c) => c.kind === 'pan');
  const mss = candidates.filter((c) => c.kind === 'ms');
  if (pans.length === 1 && mss.length === 1) return { panPath: pans[0]!.path, msPath: mss[0]!.path };
  const pairs = pans.flatMap((p) => mss.filter((m) => m.stem === p.stem).map((m) => ({ panPath: p.path, msPath: m.path })));
  if (pairs.length === 1) return pairs[0]!;
  const names = (cs: Candidate[]) => `[${cs.map((c) => c.name).join(', ')}]`;
  const details = { path: folder, pan: pans.map((c) => c.path), ms: mss.map((c) => c.path) };
  if (pans.length === 0 || mss.length === 0) {
    throw new InputError(
      'folder-no-pair',
      `no PAN/MS pair in ${folder}: found ${files.length} raster file(s), PAN by name ${names(pans)}, MS by name ${names(mss)}; ` +
        'expected names with a PAN token (pan, P, P1BS) and an MS token (ms, mul, M1BS), or choose the two files instead',
      details,
    );
  }
  throw new InputError(
    'folder-ambiguous',
    `${folder} holds more than one possible PAN/MS pair (PAN ${names(pans)}, MS ${names(mss)}); choose the two files instead`,
    details,
  );
}
