/**
 * @module main/app-core/path-allowlist
 * The files the renderer may name: only those the user chose (a native dialog in Electron, `--allow` when the
 * browser host starts). Paths are compared in canonical form (absolute, normalised, symlinks resolved), so `..`
 * segments or a link inside an allowed folder cannot reach a file outside it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ErrorCode } from '../../preload/contract.ts';
import { PanForgeError } from '../engine/errors.ts';

/** A path the renderer named that the user never chose. */
export class PathNotAllowedError extends PanForgeError {
  constructor(what: string, path: string, hint: string) {
    super(ErrorCode.notAllowed, `${what} ${JSON.stringify(path)} is not a file you chose; ${hint}`, { path });
  }
}

/** Absolute, normalised, with symlinks resolved as far as the path exists (a new file's folder is resolved). */
export function canonicalPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(canonicalPath(parent), basename(absolute));
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export interface PathAllowlistOptions {
  /** What the paths are, for messages ("scene file", "export path"). */
  readonly what: string;
  /** How the user can allow a path, appended to refusals. */
  readonly hint: string;
}

export class PathAllowlist {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  constructor(private readonly options: PathAllowlistOptions) {}

  allowFile(path: string): void {
    this.files.add(canonicalPath(path));
  }

  /** Every file below `path` (at any depth). */
  allowFolder(path: string): void {
    this.folders.add(canonicalPath(path));
  }

  allows(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const canonical = canonicalPath(path);
    if (this.files.has(canonical)) return true;
    for (const folder of this.folders) if (isInside(folder, canonical)) return true;
    return false;
  }

  /** The canonical path, or PathNotAllowedError. Relative paths are refused: they would depend on the cwd. */
  check(path: string): string {
    if (!this.allows(path)) throw new PathNotAllowedError(this.options.what, path, this.options.hint);
    return canonicalPath(path);
  }
}
