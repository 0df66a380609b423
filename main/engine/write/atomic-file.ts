/**
 * @module main/engine/write/atomic-file
 * Small text files (sidecars, reports, app state) written whole or not at all, so a crash or a full disk never
 * leaves a torn file under the final name.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes `text` into `partialPath` beside `path`, then renames it over `path`; on failure the partial file is
 * removed and the error rethrown. */
export function writeFileAtomic(path: string, text: string, partialPath = `${path}.partial`): void {
  try {
    writeFileSync(partialPath, text);
    renameSync(partialPath, path);
  } catch (err) {
    rmSync(partialPath, { force: true });
    throw err;
  }
}
