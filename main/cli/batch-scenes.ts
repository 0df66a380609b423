/**
 * @module main/cli/batch-scenes
 * The scenes of `panforge batch`: found in a folder by the app's PAN/MS naming rules, or read from a CSV/JSON list;
 * split into shards deterministically so n machines share one list with no coordination; and the output name of
 * each (scene, method) from a pattern.
 *
 * Folder rules (main/app-core/folder-pairing.ts): each direct subfolder holding exactly one PAN/MS pair is a scene
 * named after the subfolder; raster files directly in the folder pair up when their names agree apart from the
 * PAN/MS token (`x_pan.tif` + `x_ms.tif` → scene "x"). Lists: CSV with a header naming `pan` and `ms` (and
 * optionally `scene`), or JSON `[{"pan": …, "ms": …, "scene"?: …}]`; relative paths are relative to the list file,
 * GDAL virtual paths (/vsizip/, /vsicurl/, …) are kept as given.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { classifySceneFile, pairSceneFolder, type Candidate } from '../app-core/folder-pairing.ts';
import { InputError } from '../engine/errors.ts';
import { isGdalVirtualPath } from '../engine/io/gdal-path.ts';
import type { SceneFiles } from '../engine/io/open-scene.ts';
import { UsageError } from './usage-error.ts';

/** A scene's PAN/MS pair under the name the batch gives it. */
export interface BatchScene extends Pick<SceneFiles, 'panPath' | 'msPath'> {
  /** Unique; names the outputs and the report rows. */
  readonly scene: string;
}

export interface SceneListing {
  readonly scenes: readonly BatchScene[];
  /** What was seen but is not a scene, and why (shown to the user; never silently dropped). */
  readonly ignored: readonly string[];
}

const RASTER = new Set(['.tif', '.tiff', '.jp2', '.ntf', '.vrt']);

function uniqueScenes(scenes: BatchScene[]): BatchScene[] {
  const seen = new Map<string, number>();
  const sorted = [...scenes].sort((a, b) => (a.scene < b.scene ? -1 : a.scene > b.scene ? 1 : 0));
  return sorted.map((s) => {
    const n = (seen.get(s.scene) ?? 0) + 1;
    seen.set(s.scene, n);
    return n === 1 ? s : { ...s, scene: `${s.scene}-${n}` };
  });
}

export function scenesInFolder(folder: string): SceneListing {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (err) {
    throw new InputError('folder-unreadable', `cannot list ${folder}: ${err instanceof Error ? err.message : String(err)}`, { path: folder });
  }
  const scenes: BatchScene[] = [];
  const ignored: string[] = [];
  const loose: Candidate[] = [];
  for (const e of entries.filter((x) => !x.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, e.name);
    if (e.isDirectory()) {
      try {
        const pair = pairSceneFolder(path);
        scenes.push({ scene: e.name, panPath: pair.panPath, msPath: pair.msPath });
      } catch (err) {
        ignored.push(`${e.name}/: ${err instanceof Error ? err.message : String(err)}`);
      }
    } else if (RASTER.has(extname(e.name).toLowerCase()) && statSync(path).isFile()) {
      const c = classifySceneFile(folder, path);
      if (c) loose.push(c);
    }
  }
  const stems = new Map<string, Candidate[]>();
  for (const c of loose) stems.set(c.stem, [...(stems.get(c.stem) ?? []), c]);
  for (const [stem, group] of stems) {
    const pans = group.filter((c) => c.kind === 'pan');
    const mss = group.filter((c) => c.kind === 'ms');
    if (pans.length === 1 && mss.length === 1) scenes.push({ scene: stem || basename(folder), panPath: pans[0]!.path, msPath: mss[0]!.path });
    else ignored.push(`${group.map((c) => c.name).join(', ')}: ${pans.length} PAN and ${mss.length} MS file(s) share the name "${stem}"; expected one of each`);
  }
  return { scenes: uniqueScenes(scenes), ignored };
}

function listPath(value: string, listFolder: string): string {
  return isGdalVirtualPath(value) ? value : resolve(listFolder, value);
}

function sceneName(pan: string, given: string | undefined, index: number): string {
  if (given && given.trim()) return given.trim();
  const stem = basename(pan, extname(pan)).replace(/[^A-Za-z0-9._-]+/g, '_');
  return stem || `scene-${index + 1}`;
}

/** CSV: a header with pan, ms (and scene), then one row per scene; quoted fields may hold commas. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        fields.push(field.trim());
        field = '';
      } else field += ch;
    }
    fields.push(field.trim());
    rows.push(fields);
  }
  return rows;
}

export function scenesInList(listFile: string): SceneListing {
  let text: string;
  try {
    text = readFileSync(listFile, 'utf8');
  } catch (err) {
    throw new InputError('list-unreadable', `cannot read the scene list ${listFile}: ${err instanceof Error ? err.message : String(err)}`, { path: listFile });
  }
  const folder = dirname(resolve(listFile));
  const bad = (why: string) => new InputError('list-invalid', `scene list ${listFile}: ${why}`, { path: listFile });
  let items: { pan?: string; ms?: string; scene?: string }[];
  if (extname(listFile).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!Array.isArray(parsed)) throw bad('expected a JSON array of {"pan": …, "ms": …, "scene"?: …}');
    items = parsed.map((x, i) => {
      if (typeof x !== 'object' || x === null || typeof x.pan !== 'string' || typeof x.ms !== 'string')
        throw bad(`entry ${i + 1} needs string fields "pan" and "ms"`);
      return { pan: x.pan, ms: x.ms, ...(typeof x.scene === 'string' ? { scene: x.scene } : {}) };
    });
  } else {
    const [header, ...rows] = parseCsv(text);
    const columns = (header ?? []).map((h) => h.toLowerCase());
    const [pan, ms, scene] = ['pan', 'ms', 'scene'].map((c) => columns.indexOf(c));
    if (pan === -1 || ms === -1)
      throw bad(`the first row must name the columns, with "pan" and "ms" (and optionally "scene"); got "${(header ?? []).join(',')}"`);
    items = rows.map((r, i) => {
      if (!r[pan!] || !r[ms!]) throw bad(`row ${i + 2} has no pan or ms path`);
      return { pan: r[pan!]!, ms: r[ms!]!, ...(scene! >= 0 && r[scene!] ? { scene: r[scene!]! } : {}) };
    });
  }
  if (items.length === 0) throw bad('lists no scenes');
  const scenes = items.map((x, i) => ({ scene: sceneName(x.pan!, x.scene, i), panPath: listPath(x.pan!, folder), msPath: listPath(x.ms!, folder) }));
  return { scenes: uniqueScenes(scenes), ignored: [] };
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(value: string | undefined): Shard {
  if (value === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 1/4; with a Kubernetes Indexed Job: $((JOB_COMPLETION_INDEX+1))/n); got "${value}"`);
  return { index, count };
}

/** Round-robin over the scenes sorted by name: every scene in exactly one shard, shard sizes differ by at most one. */
export function shardScenes<T extends BatchScene>(scenes: readonly T[], shard: Shard): T[] {
  return scenes.filter((_, i) => i % shard.count === shard.index - 1);
}

export const DEFAULT_PATTERN = '{scene}_{method}.tif';

/** The output file name of a (scene, method): {scene}, {method}, {pan}, {ms} (input names without extension). */
export function outputName(pattern: string, scene: BatchScene, method: string): string {
  const stem = (p: string) => basename(p, extname(p));
  const name = pattern.replace(/\{(scene|method|pan|ms)\}/g, (_m, key: string) =>
    key === 'scene' ? scene.scene : key === 'method' ? method : key === 'pan' ? stem(scene.panPath) : stem(scene.msPath),
  );
  if (name.includes('/') || name.includes('\\') || name === '' || name.startsWith('.'))
    throw new UsageError(`--pattern must give a file name inside --out-dir; "${pattern}" gives "${name}"`);
  return name;
}

export function checkPattern(pattern: string, methods: readonly string[]): void {
  const unknown = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((k) => !['scene', 'method', 'pan', 'ms'].includes(k));
  if (unknown.length > 0) throw new UsageError(`--pattern: unknown placeholder {${unknown[0]}}; use {scene}, {method}, {pan}, {ms}`);
  if (!pattern.includes('{scene}') && !pattern.includes('{pan}') && !pattern.includes('{ms}'))
    throw new UsageError('--pattern must contain {scene} (or {pan}/{ms}): every scene needs its own output');
  if (methods.length > 1 && !pattern.includes('{method}')) throw new UsageError('--pattern must contain {method} when several --methods are given');
}
