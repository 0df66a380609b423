/**
 * @module main/app-core/storage-paths
 * The only files the app itself may delete: plain files directly inside `<user-data>/runs/` or `<user-data>/cache/`.
 * A path from the renderer (or from recent.json, which anyone can edit) is checked in canonical form: `..` segments,
 * a file that is a symlink, or an area folder that is itself a link out of the user-data folder are all refused,
 * so a deletion can never reach a file elsewhere.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { PathNotAllowedError } from './path-allowlist.ts';

export type StorageArea = 'runs' | 'cache';

/** `<user-data>/<area>` with symlinks resolved; throws when the folder is a link that leaves the user-data folder. */
export function storageAreaDir(userDataDir: string, area: StorageArea): string {
  const lexical = join(resolve(userDataDir), area);
  const real = realpathSync(lexical);
  const expected = join(realpathSync(resolve(userDataDir)), area);
  if (real !== expected) throw new PathNotAllowedError(`${area} folder`, lexical, `it resolves to ${real}, outside ${expected}; make it a plain folder`);
  return real;
}

/**
 * The canonical path of a file directly inside the area (it need not exist), or PathNotAllowedError naming why not.
 */
export function storagePath(userDataDir: string, area: StorageArea, path: string): string {
  const areaDir = storageAreaDir(userDataDir, area);
  const refuse = (why: string) => new PathNotAllowedError(`${area} file`, path, why);
  if (!isAbsolute(path)) throw refuse('expected an absolute path');
  const absolute = resolve(path);
  const name = basename(absolute);
  let folder: string;
  try {
    folder = realpathSync(dirname(absolute));
  } catch {
    throw refuse(`its folder does not exist; expected a file in ${areaDir}`);
  }
  if (folder !== areaDir) throw refuse(`only files directly in ${areaDir} can be removed`);
  return join(folder, name);
}

/** Like storagePath, and the file must exist as a plain file (not a link, not a folder). */
export function storageFile(userDataDir: string, area: StorageArea, path: string): string {
  const file = storagePath(userDataDir, area, path);
  let isFile: boolean;
  try {
    isFile = lstatSync(file).isFile();
  } catch {
    throw new PathNotAllowedError(`${area} file`, path, 'it does not exist');
  }
  if (!isFile) throw new PathNotAllowedError(`${area} file`, path, 'it is not a plain file (a link or a folder)');
  return file;
}
