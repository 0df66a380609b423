/**
 * @module main/engine/write/output-path
 * Checks an output path before any work starts, and names its temporary sibling. Outputs are written to
 * `<name>.partial.tif` beside the target and renamed only on success, so a target never holds half a file.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { OutputError } from '../errors.ts';

export function partialPathFor(target: string, suffix = 'partial'): string {
  const ext = extname(target) || '.tif';
  return join(dirname(target), `${basename(target, extname(target))}.${suffix}${ext}`);
}

/** `x.partial.tif`, `x.1234.partial.tif`: a temporary write that never finished (or is still going on). */
export function isPartialName(name: string): boolean {
  return /\.partial(\.|$)/.test(name);
}

export function checkOutputPath(target: string, overwrite: boolean): void {
  const folder = dirname(target);
  if (!existsSync(folder)) {
    throw new OutputError('output-folder-missing', `output folder does not exist: ${folder} (for ${basename(target)}); create it first`, { path: target });
  }
  if (!statSync(folder).isDirectory()) {
    throw new OutputError('output-folder-missing', `output folder is not a folder: ${folder}`, { path: target });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new OutputError('output-folder-read-only', `output folder is not writable: ${folder} (for ${basename(target)})`, { path: target });
  }
  if (existsSync(target)) {
    if (!overwrite) {
      throw new OutputError('output-exists', `output exists: ${target}; choose another name or pass --overwrite`, { path: target });
    }
    if (statSync(target).isDirectory()) {
      throw new OutputError('output-is-folder', `output path is a folder: ${target}`, { path: target });
    }
  }
}
